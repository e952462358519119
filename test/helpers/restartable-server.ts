import type { Socket } from 'node:net';

import { startScriptServer, type RequestScript, type ScriptedConnection, type ScriptServer } from './script-server.js';

/**
 * A scripted server that can be killed and started again on the same port, as a node that
 * crashes and restarts. Connections of every incarnation are collected in order.
 */
export interface RestartableServer {
  url: string;
  connections: ScriptedConnection[];
  /** Resolves with the next connection accepted, by whichever incarnation. */
  nextConnection(): Promise<ScriptedConnection>;
  /** Drops every connection without a close frame and stops listening. */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startRestartableServer(script: RequestScript): Promise<RestartableServer> {
  let current: ScriptServer | undefined = await startScriptServer(script);
  const url = current.url;
  const port = Number(new URL(url).port);
  const connections: ScriptedConnection[] = [];
  const waiting: ((connection: ScriptedConnection) => void)[] = [];

  const follow = (server: ScriptServer): void => {
    const collect = (): void => {
      void server.nextConnection().then((connection) => {
        connections.push(connection);
        waiting.shift()?.(connection);
        collect();
      });
    };
    collect();
  };
  follow(current);

  return {
    url,
    connections,
    nextConnection: () => new Promise((resolve) => waiting.push(resolve)),
    kill: async () => {
      await current?.close();
      current = undefined;
    },
    restart: async () => {
      current = await startScriptServer(script, port);
      follow(current);
    },
    close: async () => {
      await current?.close();
      current = undefined;
    },
  };
}

/**
 * Stops reading from a server-side connection, as a server that hangs without closing: pings pile
 * up unread in its receive buffer and no pong goes back, while the TCP connection stays open.
 */
export function stopReading(connection: ScriptedConnection): void {
  (connection.socket as unknown as { _socket: Socket })._socket.pause();
}
