import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { lines, runCli, startCli } from './helpers/cli.js';
import { stopReading } from './helpers/restartable-server.js';
import { acceptAll, startScriptServer } from './helpers/script-server.js';

const block = (height: number): string => `{"channel":"new-blocks","data":{"hash":"h${height}","height":${height}}}`;

describe('subscribe keepalive', () => {
  test('silent server detected within interval plus timeout', async () => {
    const server = await startScriptServer((request, connection) => {
      acceptAll(request, connection);
      connection.socket.send(block(server.connections.length));
    });
    const interval = 1;
    const timeout = 1;
    const cli = startCli(
      ['subscribe', 'new-blocks', '--url', server.url, '-o', 'jsonl', '--ping-interval', String(interval), '--ping-timeout', String(timeout), '--reconnect-delay', '0.05', '--reconnect-max-delay', '0.1'],
      { killAfterMs: 60_000 },
    );
    try {
      await cli.waitForStdout(/"height":1/);
      const first = server.connections[0];
      assert.ok(first !== undefined);
      const second = server.nextConnection();
      stopReading(first);
      const silentAt = Date.now();

      await cli.waitForStderr(/no pong within 1 s of a ping; reconnecting/, 30_000);
      const detectedAfterMs = Date.now() - silentAt;
      await second;
      await cli.waitForStdout(/"height":2/);

      // A loaded machine delays timers, so allow two seconds more than the promise.
      assert.ok(detectedAfterMs < (interval + timeout) * 1000 + 2000, `detected after ${detectedAfterMs} ms`);

      // The first connection's ping timers are gone: the new one stays up for several intervals.
      await new Promise((resolve) => setTimeout(resolve, 3 * interval * 1000));
      assert.equal(server.connections.length, 2);
      assert.equal((cli.stderr().match(/no pong/g) ?? []).length, 1);

      cli.child.kill('SIGINT');
      const result = await cli.result;
      assert.equal(result.code, 130);
      assert.deepEqual(lines(result.stdout), [block(1), block(2)]);
    } finally {
      cli.child.kill('SIGKILL');
      await server.close();
    }
  });

  test('idle timeout exits 7', async () => {
    const server = await startScriptServer((request, connection) => {
      acceptAll(request, connection);
      connection.socket.send(block(1));
    });
    try {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--idle-timeout', '0.5']);

      assert.equal(result.code, 7);
      assert.equal(result.stdout, `${block(1)}\n`);
      assert.match(result.stderr, /no notification for 0\.5 s \(--idle-timeout\)/);
      assert.match(result.stderr, /--on-idle reconnect/);
    } finally {
      await server.close();
    }
  });

  test('idle timeout can reconnect instead', async () => {
    const server = await startScriptServer((request, connection) => {
      acceptAll(request, connection);
      // Answers pings (ws does that itself) but pushes one block per connection only.
      connection.socket.send(block(server.connections.length));
    });
    try {
      const result = await runCli([
        'subscribe',
        'new-blocks',
        '--url',
        server.url,
        '--idle-timeout',
        '0.5',
        '--on-idle',
        'reconnect',
        '--count',
        '2',
        '--reconnect-delay',
        '0.05',
      ]);

      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(lines(result.stdout), [block(1), block(2)]);
      assert.match(result.stderr, /no notification for 0\.5 s \(--idle-timeout\); reconnecting/);
    } finally {
      await server.close();
    }
  });
});
