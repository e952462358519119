import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { lines, runCli } from './helpers/cli.js';
import { acceptAll, startScriptServer, type ScriptServer } from './helpers/script-server.js';

const hash = (label: string): string => label.padStart(64, '0');
const block = (height: number, label = String(height)): string =>
  `{"channel":"new-blocks","data":{"hash":"${hash(label)}","height":${height}}}`;

/**
 * Sends `frames` once the first connection has subscribed to `channels` channels, then drops it
 * when `again` is given, and sends `again` on each later connection.
 */
function startStreamServer(frames: string[], again: string[] = [], channels = 1): Promise<ScriptServer> {
  const server = startScriptServer((request, connection) => {
    acceptAll(request, connection);
    if (connection.requests.filter((r) => r.json.action === 'subscribe').length !== channels) {
      return;
    }
    const first = connection === connections()[0];
    const batch = first ? frames : again;
    const dropAfter = first;
    // After the subscribe response has been read, so that every frame reaches a live run.
    setTimeout(() => {
      batch.forEach((frame) => connection.socket.send(frame));
      if (dropAfter && again.length > 0) {
        setTimeout(() => connection.socket.terminate(), 100);
      }
    }, 50);
  });
  let started: ScriptServer | undefined;
  const connections = () => started?.connections ?? [];
  return server.then((ready) => (started = ready));
}

describe('subscribe stream events', () => {
  // Heights 101 then 103: a gap of one. 104 twice with different hashes, then back to 103: two reorgs.
  const frames = [block(101), block(103), block(104, 'a104'), block(104, 'b104'), block(103, 'b103'), block(104, 'c104')];

  test('gaps and reorgs as JSON lines with --events', async () => {
    const server = await startStreamServer(frames);
    try {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '-o', 'jsonl', '--events', '--count', '6']);

      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(lines(result.stdout), [
        block(101),
        `{"type":"gap","from":102,"to":102,"missing":1,"before":{"height":101,"hash":"${hash('101')}"},"after":{"height":103,"hash":"${hash('103')}"}}`,
        block(103),
        block(104, 'a104'),
        `{"type":"reorg","height":104,"oldHash":"${hash('a104')}","newHash":"${hash('b104')}","previousHeight":104}`,
        block(104, 'b104'),
        `{"type":"reorg","height":103,"oldHash":"${hash('103')}","newHash":"${hash('b103')}","previousHeight":104}`,
        block(103, 'b103'),
        // Block 104 on top of the new 103 continues the new branch: no event.
        block(104, 'c104'),
      ]);
      assert.match(result.stderr, /warning: block gap: height 102 missing \(1 block\) between block 101 and block 103/);
      assert.match(result.stderr, new RegExp(`warning: reorg at height 104 \\(after height 104\\): block ${hash('a104')} replaced by block ${hash('b104')}`));
      assert.equal((result.stderr.match(/warning: reorg/g) ?? []).length, 2);
    } finally {
      await server.close();
    }
  });

  test('without --events only stderr has them', async () => {
    const server = await startStreamServer(frames);
    try {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '-o', 'jsonl', '--count', '6']);

      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(lines(result.stdout), frames);
      assert.match(result.stderr, /warning: block gap/);
    } finally {
      await server.close();
    }
  });

  test('text events read like notifications', async () => {
    const server = await startStreamServer([block(1), block(3)]);
    try {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '-o', 'text', '--events', '--count', '2']);

      assert.equal(result.code, 0, result.stderr);
      assert.equal(lines(result.stdout)[1], 'gap from=2 to=2 missing=1 before=1 after=3');
    } finally {
      await server.close();
    }
  });

  describe('after a reconnect', () => {
    const transaction = (txid: string): string => `{"channel":"new-transactions","data":{"txid":"${txid}","size":1,"fee":0.1}}`;
    const first = [block(1), transaction('t1'), transaction('t2')];
    // The new connection repeats t2 and block 1 as they were, and t1 with other content.
    const again = [transaction('t2'), block(1), `{"channel":"new-transactions","data":{"txid":"t1","size":2,"fee":0.1}}`, block(2)];
    const args = ['new-blocks', 'new-transactions', '-o', 'jsonl', '--count', '5', '--reconnect-delay', '0.05'];

    test('repeats from the old connection are skipped', async () => {
      const server = await startStreamServer(first, again, 2);
      try {
        const result = await runCli(['subscribe', ...args, '--url', server.url]);

        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(lines(result.stdout), [...first, again[2], block(2)]);
        assert.doesNotMatch(result.stderr, /reorg/);
      } finally {
        await server.close();
      }
    });

    test('--no-dedupe writes them again', async () => {
      const server = await startStreamServer(first, again, 2);
      try {
        const result = await runCli(['subscribe', ...args, '--url', server.url, '--no-dedupe']);

        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(lines(result.stdout), [...first, again[0], again[1]]);
      } finally {
        await server.close();
      }
    });
  });
});
