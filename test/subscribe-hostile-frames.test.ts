import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, test } from 'node:test';

import { lines, runCli } from './helpers/cli.js';
import { acceptAll, startScriptServer, type ScriptedConnection, type ScriptServer } from './helpers/script-server.js';

const before = '{"channel":"mempool","data":{"action":"added","txid":"before","size":1,"fee":0.1}}';
const after = '{"channel":"mempool","data":{"action":"added","txid":"after","size":1,"fee":0.1}}';
const deep = 100_000;

interface BrokenFrame {
  name: string;
  send: (connection: ScriptedConnection) => void;
  warning: RegExp;
}

const text = (frame: string) => (connection: ScriptedConnection) => connection.socket.send(frame);

/** Frames that are skipped with one warning while the connection goes on. */
const BROKEN_FRAMES: BrokenFrame[] = [
  { name: 'non-JSON text', send: text('hello, not json'), warning: /not valid JSON/ },
  { name: 'binary frame', send: (c) => c.socket.send(Buffer.from([1, 2, 3, 4]), { binary: true }), warning: /binary frame of 4 bytes/ },
  { name: 'invalid UTF-8', send: (c) => c.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }), warning: /not valid UTF-8/ },
  { name: 'JSON array', send: text('[1,2]'), warning: /not a JSON object/ },
  { name: 'JSON string', send: text('"mempool"'), warning: /not a JSON object/ },
  { name: 'JSON null', send: text('null'), warning: /not a JSON object/ },
  { name: 'no channel', send: text('{"data":{}}'), warning: /neither `status` nor a string `channel`/ },
  { name: 'no data', send: text('{"channel":"mempool"}'), warning: /without a `data` object/ },
  { name: 'data not an object', send: text('{"channel":"mempool","data":[1]}'), warning: /without a `data` object/ },
  { name: 'missing txid', send: text('{"channel":"mempool","data":{"action":"added","size":1}}'), warning: /notification on mempool without `txid`/ },
  {
    name: 'wrongly typed field',
    send: text('{"channel":"mempool","data":{"action":"added","txid":"t","size":"big","fee":0.1}}'),
    warning: /mempool whose `size` is of type string, not a number/,
  },
  {
    name: 'fractional height',
    send: text('{"channel":"new-blocks","data":{"hash":"00","height":1.5}}'),
    warning: /new-blocks whose `height` is the number 1.5, not a whole number of 0 or more/,
  },
  { name: 'unknown channel', send: text('{"channel":"new-blockz","data":{}}'), warning: /channel "new-blockz", which was not subscribed/ },
  {
    name: 'deeply nested JSON',
    send: text(`{"channel":"mempool","data":{"action":"added","txid":"t","x":${'['.repeat(deep)}${']'.repeat(deep)}}}`),
    warning: /JSON nested deeper than 64 levels/,
  },
  { name: 'unanswered response', send: text('{"status":"success","data":{}}'), warning: /success response that answers no request/ },
  { name: 'unknown status', send: text('{"status":"maybe"}'), warning: /unknown status "maybe"/ },
];

describe('subscribe hostile frames', () => {
  test('each broken frame is skipped with one warning', async () => {
    // One run per frame, so that each warning is shown rather than counted after the fifth. The
    // URL path names the row a connection is for.
    const server = await startScriptServer((request, connection) => {
      acceptAll(request, connection);
      if (request.json.channel !== 'mempool') {
        return;
      }
      const row = BROKEN_FRAMES[Number(connection.path.slice('/row-'.length))];
      connection.socket.send(before);
      row?.send(connection);
      connection.socket.send(after);
    });
    try {
      const results = BROKEN_FRAMES.map((row, index) => ({
        row,
        run: runCli(['subscribe', 'new-blocks', 'mempool', '--url', `${server.url}/row-${index}`, '-o', 'jsonl', '--count', '2']),
      }));

      for (const { row, run } of results) {
        const result = await run;
        assert.equal(result.code, 0, `${row.name}: ${result.stderr}`);
        assert.deepEqual(lines(result.stdout), [before, after], row.name);
        assert.equal(lines(result.stderr).filter((line) => row.warning.test(line)).length, 1, `${row.name}: ${result.stderr}`);
        assert.equal(lines(result.stderr).length, 1, `${row.name}: one line on stderr: ${result.stderr}`);
      }
    } finally {
      await server.close();
    }
  });

  test('flood of bad frames prints a count', async () => {
    const server = await startScriptServer((request, connection) => {
      acceptAll(request, connection);
      for (let i = 0; i < 1000; i++) {
        connection.socket.send(`bad ${i}`);
      }
      connection.socket.send(after);
    });
    try {
      const result = await runCli(['subscribe', 'mempool', '--url', server.url, '-o', 'jsonl', '--count', '1']);

      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${after}\n`);
      assert.ok(lines(result.stderr).length <= 8, result.stderr);
      assert.match(result.stderr, /1000 skipped frames in all, 995 not shown/);
    } finally {
      await server.close();
    }
  });

  /** Frames that ws cannot skip: the connection is dropped and a new one continues the stream. */
  const FATAL_FRAMES: BrokenFrame[] = [
    { name: 'frame over --max-message-size', send: text(`"${'x'.repeat(4096)}"`), warning: /a frame larger than --max-message-size arrived/ },
    {
      name: 'reserved opcode',
      // A final frame with opcode 3, which RFC 6455 reserves; written under ws, on the raw socket.
      send: (c) => (c.socket as unknown as { _socket: Socket })._socket.write(Buffer.from([0x83, 0x00])),
      warning: /broken WebSocket frame \(Invalid WebSocket frame: invalid opcode 3\)/,
    },
  ];

  /** Starts a server that sends `row`'s frame on its first connection, and the rest of the stream on later ones. */
  async function startFrameServer(row: BrokenFrame): Promise<ScriptServer> {
    let first: ScriptedConnection | undefined;
    return startScriptServer((request, connection) => {
      acceptAll(request, connection);
      first ??= connection;
      if (connection === first) {
        connection.socket.send(before);
        row.send(connection);
      } else {
        setTimeout(() => connection.socket.send(after), 50);
      }
    });
  }

  for (const row of FATAL_FRAMES) {
    test(`${row.name} drops the connection, the stream goes on`, async () => {
      const server = await startFrameServer(row);
      const onceServer = await startFrameServer(row);
      const args = ['subscribe', 'mempool', '-o', 'jsonl', '--max-message-size', '1024'];
      try {
        const result = await runCli([...args, '--url', server.url, '--count', '2', '--reconnect-delay', '0.05']);
        const once = await runCli([...args, '--url', onceServer.url, '--no-reconnect']);

        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(lines(result.stdout), [before, after]);
        assert.match(result.stderr, new RegExp(`${row.warning.source}; reconnecting in`));
        assert.equal(once.code, 3, once.stderr);
        assert.match(once.stderr, row.warning);
      } finally {
        await Promise.all([server.close(), onceServer.close()]);
      }
    });
  }
});
