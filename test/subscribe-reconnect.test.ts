import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { lines, runCli, startCli } from './helpers/cli.js';
import { closedPort } from './helpers/closed-port.js';
import { startRestartableServer } from './helpers/restartable-server.js';
import { acceptAll, startScriptServer, type RequestScript, type ScriptedConnection } from './helpers/script-server.js';

const TOKEN = 'reconnect-token-7';
const ADDRESS = 'csc1qkea8e6xg44rrw0n9qehyjxrd324lhgpmmkljgz';
/** Short delays, so that twenty reconnects take seconds; the logic is the same as with defaults. */
const FAST_RECONNECT = ['--reconnect-delay', '0.05', '--reconnect-max-delay', '0.25'];

const blockHash = (height: number): string => height.toString(16).padStart(64, '0');
const block = (height: number): string => `{"channel":"new-blocks","data":{"hash":"${blockHash(height)}","height":${height}}}`;

/** Resolves once `connection` has received `count` subscribe requests. */
async function subscribed(connection: ScriptedConnection, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (connection.requests.filter((r) => r.json.action === 'subscribe').length < count) {
    assert.ok(Date.now() < deadline, 'the client did not subscribe again within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('subscribe reconnect', () => {
  test('twenty server restarts in a stream', async () => {
    const server = await startRestartableServer(acceptAll);
    const cli = startCli(
      [
        'subscribe',
        'address-transactions',
        'new-blocks',
        '-a',
        ADDRESS,
        '--url',
        server.url,
        '-o',
        'jsonl',
        '--events',
        '--max-reconnects',
        '8',
        ...FAST_RECONNECT,
      ],
      { env: { CSCWS_TOKEN: TOKEN }, killAfterMs: 90_000 },
    );

    const GAP_CYCLES = new Map([
      [5, 2],
      [12, 1],
    ]);
    const expectedHeights: number[] = [];
    const expectedGaps: string[] = [];
    let height = 100;
    try {
      for (let cycle = 0; cycle <= 20; cycle++) {
        const connection = server.connections[cycle] ?? (await server.nextConnection());
        await subscribed(connection, 2);

        // The last block before the restart comes again, as from a server that replays: skipped.
        if (cycle > 0) {
          connection.socket.send(block(height - 1));
        }
        const skipped = GAP_CYCLES.get(cycle);
        if (skipped !== undefined) {
          expectedGaps.push(`{"type":"gap","from":${height},"to":${height + skipped - 1},"missing":${skipped},`);
          height += skipped;
        }
        for (let i = 0; i < 3; i++) {
          connection.socket.send(block(height));
          expectedHeights.push(height);
          height++;
        }
        await cli.waitForStdout(new RegExp(`"height":${height - 1}\\}`));

        await server.kill();
        if (cycle < 20) {
          await server.restart();
        }
      }

      const result = await cli.result;

      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, /gave up after 8 reconnect attempts \(--max-reconnects\)/);
      const notifications = lines(result.stdout).filter((line) => line.startsWith('{"channel"'));
      const heights = notifications.map((line) => (JSON.parse(line) as { data: { height: number } }).data.height);
      assert.deepEqual(heights, expectedHeights, 'every block once, in order');
      const gaps = lines(result.stdout).filter((line) => line.startsWith('{"type":"gap"'));
      assert.equal(gaps.length, expectedGaps.length);
      expectedGaps.forEach((prefix, i) => assert.ok(gaps[i]?.startsWith(prefix), `${gaps[i]} starts with ${prefix}`));
      assert.equal(lines(result.stdout).filter((line) => line.startsWith('{"type":"reconnected"')).length, 20);
      assert.equal((result.stderr.match(/warning: block gap/g) ?? []).length, 2);
      assert.match(result.stderr, /block gap: heights 115 to 116 missing \(2 blocks\)/);

      assert.equal(server.connections.length, 21);
      for (const connection of server.connections) {
        const requests = connection.requests.map((r) => `${String(r.json.action)} ${String(r.json.channel ?? '')}`.trim());
        assert.deepEqual(requests.slice(0, 3), ['auth', 'subscribe address-transactions', 'subscribe new-blocks']);
        assert.equal(connection.requests[0]?.json.token, TOKEN);
        assert.deepEqual(connection.requests[1]?.json.params, { addresses: [ADDRESS] });
      }
      assert.ok(!result.stderr.includes(TOKEN), 'the token is not on stderr');
    } finally {
      cli.child.kill('SIGKILL');
      await server.close();
    }
  });

  test('refused first connection retries, then gives up', async () => {
    const port = await closedPort();
    const result = await runCli(['subscribe', 'new-blocks', '--url', `ws://127.0.0.1:${port}`, '--max-reconnects', '2', ...FAST_RECONNECT]);

    assert.equal(result.code, 3);
    assert.equal((result.stderr.match(/refused; reconnecting in \d+\.\d\d s \(attempt \d of 2\)/g) ?? []).length, 2);
    assert.match(result.stderr, /refused; gave up after 2 reconnect attempts/);
  });

  test('refused first connection retries until the node is up', async () => {
    const port = await closedPort();
    const cli = startCli(['subscribe', 'new-blocks', '--url', `ws://127.0.0.1:${port}`, '--count', '1', ...FAST_RECONNECT]);
    await cli.waitForStderr(/refused; reconnecting/);

    const server = await startScriptServer((request, connection) => {
      acceptAll(request, connection);
      connection.socket.send(block(1));
    }, port);
    try {
      const result = await cli.result;

      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${block(1)}\n`);
    } finally {
      await server.close();
    }
  });

  test('normal close reconnects when reconnecting is on', async () => {
    const server = await startScriptServer((request, connection) => {
      acceptAll(request, connection);
      const sent = server.connections.length;
      if (sent === 1) {
        connection.socket.send(block(sent));
        connection.socket.close(1001, 'node restarting');
      } else {
        // After the subscribe response has been read, so that the client is live when it arrives.
        setTimeout(() => connection.socket.send(block(sent)), 100);
      }
    });
    try {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--count', '2', ...FAST_RECONNECT]);

      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(lines(result.stdout), [block(1), block(2)]);
      assert.match(result.stderr, /closed by the server \(code 1001, reason "node restarting"\); reconnecting in/);
      assert.match(result.stderr, /reconnected after 1 attempt/);
    } finally {
      await server.close();
    }
  });

  test('rejection after a reconnect is reported as on the first', async () => {
    const server = await startScriptServer((request, connection) => {
      if (server.connections.length === 1) {
        acceptAll(request, connection);
        setTimeout(() => connection.socket.terminate(), 50);
        return;
      }
      connection.socket.send(JSON.stringify({ status: 'error', channel: request.json.channel, error: { code: 'invalid_params', message: 'bad address' } }));
    });
    try {
      const result = await runCli(['subscribe', 'address-transactions', '-a', ADDRESS, '--url', server.url, ...FAST_RECONNECT]);

      assert.equal(result.code, 5);
      assert.match(result.stderr, /lost without a close frame; reconnecting/);
      assert.match(result.stderr, /rejected the subscribe of address-transactions \(invalid_params: bad address\)/);
      assert.match(result.stderr, new RegExp(`The addresses sent were: ${ADDRESS}`));
      assert.equal(server.connections.length, 2);
    } finally {
      await server.close();
    }
  });

  test('rate limit waits at least half the max delay', async () => {
    const connectedAt: number[] = [];
    const server = await startScriptServer((request, connection) => {
      if (server.connections.length === 1) {
        connection.socket.send('{"status":"error","error":{"code":"rate_limit_exceeded","message":"Too many messages"}}');
        return;
      }
      acceptAll(request, connection);
      connection.socket.send(block(1));
    });
    server.nextConnection().then(() => connectedAt.push(Date.now()));
    server.nextConnection().then(() => connectedAt.push(Date.now()));
    try {
      const result = await runCli(['subscribe', 'mempool', 'new-blocks', '--url', server.url, '--count', '1', '--reconnect-delay', '0.05', '--reconnect-max-delay', '1']);

      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /rate-limited the subscribe of mempool \(rate_limit_exceeded: Too many messages\); reconnecting in 0\.[5-9]\d s|in 1\.00 s/);
      assert.equal(connectedAt.length, 2);
      assert.ok((connectedAt[1] ?? 0) - (connectedAt[0] ?? 0) >= 450, 'the second connection waited at least 0.5 s');
    } finally {
      await server.close();
    }
  });

  test('rate limit before a close slows down', async () => {
    const connectedAt: number[] = [];
    const server = await startScriptServer((request, connection) => {
      acceptAll(request, connection);
      connectedAt.push(Date.now());
      if (server.connections.length === 1) {
        connection.socket.send('{"status":"error","error":{"code":"rate_limit_exceeded","message":"Too many messages"}}');
        connection.socket.close(1008, 'rate limit');
      } else {
        setTimeout(() => connection.socket.send(block(1)), 50);
      }
    });
    try {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--count', '1', '--reconnect-delay', '0.05', '--reconnect-max-delay', '1']);

      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /closed by the server \(code 1008, reason "rate limit"\) after it sent rate_limit_exceeded; reconnecting/);
      assert.equal(connectedAt.length, 2);
      assert.ok((connectedAt[1] ?? 0) - (connectedAt[0] ?? 0) >= 450, 'the second connection waited at least 0.5 s');
    } finally {
      await server.close();
    }
  });

  test('rate limit to the end exits 6', async () => {
    const server = await startScriptServer((_request, connection) => {
      connection.socket.send('{"status":"error","error":{"code":"rate_limit_exceeded","message":"Too many messages"}}');
    });
    try {
      const result = await runCli(['subscribe', 'mempool', '--url', server.url, '--max-reconnects', '1', '--reconnect-delay', '0.05', '--reconnect-max-delay', '0.2']);

      assert.equal(result.code, 6);
      assert.match(result.stderr, /rate-limited.*gave up after 1 reconnect attempt \(--max-reconnects\)/);
      assert.equal(server.connections.length, 2);
    } finally {
      await server.close();
    }
  });
});

describe('subscribe reconnect after a rejected upgrade', () => {
  /** Starts an HTTP server that rejects every WebSocket upgrade with `status`. */
  async function startRejectingServer(status: number): Promise<{ url: string; upgrades: () => number; close: () => Promise<void> }> {
    const { createServer: createHttpServer } = await import('node:http');
    let upgrades = 0;
    const server = createHttpServer();
    server.on('upgrade', (_request, socket) => {
      upgrades++;
      socket.end(`HTTP/1.1 ${status} Rejected\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return {
      url: `ws://127.0.0.1:${port}`,
      upgrades: () => upgrades,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  test('HTTP 403 ends the run at once', async () => {
    const server = await startRejectingServer(403);
    try {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, ...FAST_RECONNECT]);

      assert.equal(result.code, 3);
      assert.match(result.stderr, /refused the WebSocket upgrade with HTTP 403/);
      assert.doesNotMatch(result.stderr, /reconnecting/);
      assert.equal(server.upgrades(), 1);
    } finally {
      await server.close();
    }
  });

  test('HTTP 503 is retried', async () => {
    const server = await startRejectingServer(503);
    try {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--max-reconnects', '2', ...FAST_RECONNECT]);

      assert.equal(result.code, 3);
      assert.match(result.stderr, /HTTP 503; gave up after 2 reconnect attempts/);
      assert.equal(server.upgrades(), 3);
    } finally {
      await server.close();
    }
  });
});
