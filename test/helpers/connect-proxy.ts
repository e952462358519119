import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** An HTTP CONNECT proxy on 127.0.0.1 that tunnels to loopback targets only and records each target. */
export interface ConnectProxy {
  url: string;
  /** `host:port` of every CONNECT request, in order. */
  targets: string[];
  /** Proxy-Authorization headers received, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

export async function startConnectProxy(): Promise<ConnectProxy> {
  const targets: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_request, response) => {
    response.writeHead(405).end('only CONNECT\n');
  });

  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    targets.push(target);
    authorizations.push(request.headers['proxy-authorization']);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));

    const match = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):(\d+)$/.exec(target);
    if (match === null) {
      // The tests never leave loopback; a proxy that tunnelled anywhere else would let them.
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const host = (match[1] as string).replace(/^\[|\]$/g, '');
    const upstream = connect(Number(match[2]), host === 'localhost' ? '127.0.0.1' : host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) {
        upstream.write(head);
      }
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    authorizations,
    close: async () => {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
