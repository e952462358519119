import assert from 'node:assert/strict';
import { test } from 'node:test';

import { lines, runCli } from './helpers/cli.js';
import { acceptAll, startScriptServer, type RequestScript } from './helpers/script-server.js';

const block = (height: number): string => `{"channel":"new-blocks","data":{"height":${height},"hash":"h${height}"}}`;

test('replay after reconnect reports no gap', async () => {
  // The first connection writes blocks 3 and 4, then drops. The second replays from block 1, as a
  // restarted node does, and goes on to block 5: 3 and 4 are skipped as already written, and no
  // height is missing.
  let connections = 0;
  const script: RequestScript = (request, connection) => {
    acceptAll(request, connection);
    if (request.json.action !== 'subscribe') {
      return;
    }
    connections++;
    if (connections === 1) {
      connection.socket.send(block(3));
      connection.socket.send(block(4));
      setTimeout(() => connection.socket.terminate(), 100);
    } else {
      for (let height = 1; height <= 5; height++) {
        connection.socket.send(block(height));
      }
    }
  };
  const server = await startScriptServer(script);
  try {
    const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--events', '--count', '5', '--reconnect-delay', '0.1']);

    assert.equal(result.code, 0, result.stderr);
    const written = lines(result.stdout);
    const notifications = written.filter((line) => line.startsWith('{"channel"'));
    assert.deepEqual(notifications, [block(3), block(4), block(1), block(2), block(5)]);
    assert.ok(!written.some((line) => line.includes('"type":"gap"')), written.join('\n'));
    assert.doesNotMatch(result.stderr, /block gap/);
  } finally {
    await server.close();
  }
});
