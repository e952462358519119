import type { AddressInfo } from 'node:net';

import { WebSocketServer, type WebSocket } from 'ws';

/** A request as the test server received it: the raw text and its parsed form. */
export interface ReceivedRequest {
  text: string;
  json: Record<string, unknown>;
}

export interface ScriptedConnection {
  socket: WebSocket;
  /** Path and query of the upgrade request, such as `/` or `/row-3`. */
  path: string;
  requests: ReceivedRequest[];
  closeCode: number | undefined;
  closed: Promise<number>;
}

/** Decides what a scripted server does with each request; it may send frames or close the socket. */
export type RequestScript = (request: ReceivedRequest, connection: ScriptedConnection) => void;

export interface ScriptServer {
  url: string;
  connections: ScriptedConnection[];
  /** Resolves with the next connection accepted. */
  nextConnection(): Promise<ScriptedConnection>;
  close(): Promise<void>;
}

/** Answers every subscribe, unsubscribe and auth with success, as a well-behaved node does. */
export const acceptAll: RequestScript = (request, connection) => {
  const channel = request.json.channel;
  connection.socket.send(
    JSON.stringify(channel === undefined ? { status: 'success', data: {} } : { status: 'success', channel, data: {} }),
  );
};

/**
 * Starts a WebSocket server on a loopback port that runs `script` for each request: a free port
 * chosen by the system, or `port` to come back on the port of a server stopped before.
 */
export async function startScriptServer(script: RequestScript = acceptAll, port = 0): Promise<ScriptServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port: boundPort } = server.address() as AddressInfo;

  const connections: ScriptedConnection[] = [];
  const waiting: ((connection: ScriptedConnection) => void)[] = [];

  server.on('connection', (socket, upgrade) => {
    let resolveClosed: (code: number) => void = () => {};
    const connection: ScriptedConnection = {
      socket,
      path: upgrade.url ?? '/',
      requests: [],
      closeCode: undefined,
      closed: new Promise((resolve) => (resolveClosed = resolve)),
    };
    connections.push(connection);
    socket.on('message', (data) => {
      const text = data.toString();
      const request: ReceivedRequest = { text, json: JSON.parse(text) as Record<string, unknown> };
      connection.requests.push(request);
      script(request, connection);
    });
    socket.on('close', (code) => {
      connection.closeCode = code;
      resolveClosed(code);
    });
    waiting.shift()?.(connection);
  });

  return {
    url: `ws://127.0.0.1:${boundPort}`,
    connections,
    nextConnection: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
      }),
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) {
          client.terminate();
        }
        server.close(() => resolve());
      }),
  };
}
