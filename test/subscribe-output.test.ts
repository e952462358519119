import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { lines, runCli } from './helpers/cli.js';
import { startScriptServer, type RequestScript, type ScriptServer } from './helpers/script-server.js';

/** Answers each subscribe with success, then sends the given frames verbatim. */
function answerThenSend(frames: string[]): RequestScript {
  return (request, connection) => {
    connection.socket.send(JSON.stringify({ status: 'success', channel: request.json.channel, data: {} }));
    if (request.json.action === 'subscribe') {
      for (const frame of frames) {
        connection.socket.send(frame);
      }
    }
  };
}

describe('subscribe output', () => {
  let server: ScriptServer | undefined;

  after(async () => {
    await server?.close();
  });

  test('jsonl keeps every number literal byte for byte', async () => {
    const frame =
      '{"channel":"mining-info","data":{"blocks":524288,"currentBlockWeight":4000000,"currentBlockTx":150,' +
      '"difficulty":12345678.90,"networkHashPs":812345678901234567890,"pooledTx":250,"tiny":1E-8,"neg":-0.0}}';
    server = await startScriptServer(answerThenSend([frame]));

    const result = await runCli(['subscribe', 'mining-info', '--url', server.url, '--count', '1', '-o', 'jsonl']);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${frame}\n`);
    await server.close();
    server = undefined;
  });

  test('pretty-printed frame becomes one line', async () => {
    const pretty = `{
    "channel": "new-blocks",
    "data": {
        "hash": "0000 with spaces\\n and \\" quote",
        "height": 524289,
        "difficulty": 12345678.90
    },
    "extra": [ 1, 2.50 ]
}`;
    server = await startScriptServer(answerThenSend([pretty]));

    const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--count', '1', '-o', 'jsonl']);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      '{"channel":"new-blocks","data":{"hash":"0000 with spaces\\n and \\" quote","height":524289,"difficulty":12345678.90},"extra":[1,2.50]}\n',
    );
    await server.close();
    server = undefined;
  });

  test('unknown fields and field order pass through', async () => {
    const frame = '{"data":{"txid":"ab","fee":0.0001,"x-new":{"deep":[true,null]}},"channel":"new-transactions","seq":7}';
    server = await startScriptServer(answerThenSend([frame]));

    const result = await runCli(['subscribe', 'new-transactions', '--url', server.url, '--count', '1', '-o', 'jsonl']);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${frame}\n`);
    await server.close();
    server = undefined;
  });

  test('text output has one line per channel shape', async () => {
    const frames = [
      '{"channel":"new-blocks","data":{"hash":"00ff","height":524289,"time":1234567890,"txCount":1500,"size":1250000,"difficulty":12345678.90}}',
      '{"channel":"new-transactions","data":{"txid":"t1","size":250,"fee":0.0001,"inputs":[{"address":"csc1qa","value":100.0}],"outputs":[{"address":"csc1qb","value":50.0},{"address":"csc1qc","value":49.9999}]}}',
      '{"channel":"address-transactions","data":{"txid":"t2","address":"csc1qa","type":"sent","amount":10.5,"confirmations":0,"time":1234567890}}',
      '{"channel":"mempool","data":{"action":"removed","txid":"t3","size":250,"fee":0.0001}}',
      '{"channel":"mining-info","data":{"blocks":524288,"currentBlockWeight":4000000,"currentBlockTx":150,"difficulty":12345678.90,"networkHashPs":5000000000000000,"pooledTx":250}}',
    ];
    server = await startScriptServer((request, connection) => {
      connection.socket.send(JSON.stringify({ status: 'success', channel: request.json.channel, data: {} }));
      // Send everything after the last subscribe, so each channel is subscribed when its frame arrives.
      if (request.json.channel === 'mining-info') {
        frames.forEach((frame) => connection.socket.send(frame));
      }
    });

    const result = await runCli([
      'subscribe',
      'new-blocks',
      'new-transactions',
      'address-transactions',
      'mempool',
      'mining-info',
      '--no-address-check',
      '-a',
      'csc1qa',
      '--url',
      server.url,
      '--count',
      '5',
      '-o',
      'text',
    ]);

    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(lines(result.stdout), [
      'new-blocks height=524289 hash=00ff txCount=1500 size=1250000 difficulty=12345678.90 time=2009-02-13T23:31:30Z',
      'new-transactions txid=t1 size=250 fee=0.0001 inputs=1 in=100 outputs=2 out=99.9999',
      'address-transactions type=sent amount=-10.5 address=csc1qa confirmations=0 txid=t2 time=2009-02-13T23:31:30Z',
      'mempool removed txid=t3 size=250 fee=0.0001',
      'mining-info blocks=524288 difficulty=12345678.90 networkHashPs=5000000000000000 pooledTx=250 currentBlockTx=150 currentBlockWeight=4000000',
    ]);
    await server.close();
    server = undefined;
  });

  test('text output escapes control characters from the server', async () => {
    const frame = JSON.stringify({
      channel: 'mempool',
      data: { action: 'added', txid: '\u001b[2J\u001b]52;c;aGk=\u0007\u202eevil', size: 1, fee: 0 },
    });
    server = await startScriptServer(answerThenSend([frame]));

    const result = await runCli(['subscribe', 'mempool', '--url', server.url, '--count', '1', '-o', 'text']);

    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes('\u001b'), 'no ESC byte reaches the output');
    assert.ok(!result.stdout.includes('\u202e'), 'no bidi override reaches the output');
    assert.match(result.stdout, /txid="\\x1b\[2J\\x1b\]52;c;aGk=\\x07\\u202eevil"/);
    await server.close();
    server = undefined;
  });

  // A documented field of the wrong type, or a missing id (hash, height), skips the whole frame
  // instead, because a block without them cannot be checked for gaps or duplicates; see the
  // broken-frames table in test/subscribe-hostile-frames.test.ts.
  test('missing fields show as question marks', async () => {
    server = await startScriptServer(answerThenSend(['{"channel":"new-blocks","data":{"height":5,"hash":"00ff"}}']));

    const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--count', '1', '-o', 'text']);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'new-blocks height=5 hash=00ff txCount=? size=? difficulty=? time=?\n');
    await server.close();
    server = undefined;
  });

  test('broken frames are skipped with a warning', async () => {
    const good = '{"channel":"mempool","data":{"action":"added","txid":"t","size":1,"fee":0.1}}';
    server = await startScriptServer(answerThenSend(['not json', '[1,2]', '{"channel":"mempool"}', good]));

    const result = await runCli(['subscribe', 'mempool', '--url', server.url, '--count', '1', '-o', 'jsonl']);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${good}\n`);
    assert.match(result.stderr, /not valid JSON/);
    assert.match(result.stderr, /not a JSON object/);
    assert.match(result.stderr, /without a `data` object/);
    await server.close();
    server = undefined;
  });

  test('notifications on channels not subscribed are skipped', async () => {
    const stray = '{"channel":"new-blocks","data":{"height":1}}';
    const wanted = '{"channel":"mempool","data":{"action":"added","txid":"t","size":1,"fee":0.1}}';
    server = await startScriptServer(answerThenSend([stray, wanted]));

    const result = await runCli(['subscribe', 'mempool', '--url', server.url, '--count', '1', '-o', 'jsonl']);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${wanted}\n`);
    assert.match(result.stderr, /channel "new-blocks", which was not subscribed/);
    await server.close();
    server = undefined;
  });
});

describe('subscribe piped into a reader that stops early', () => {
  let server: ScriptServer;

  before(async () => {
    server = await startScriptServer((request, connection) => {
      connection.socket.send(JSON.stringify({ status: 'success', channel: request.json.channel, data: {} }));
      if (request.json.action !== 'subscribe') {
        return;
      }
      let sequence = 0;
      const timer = setInterval(() => {
        if (connection.socket.readyState !== connection.socket.OPEN) {
          clearInterval(timer);
          return;
        }
        for (let i = 0; i < 200; i++) {
          connection.socket.send(`{"channel":"mempool","data":{"action":"added","txid":"${sequence++}","size":1,"fee":0.1}}`);
        }
      }, 5);
    });
  });

  after(async () => {
    await server.close();
  });

  test('head -1 ends it quietly with exit 0', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI_PATH, cliEnvironment, watchChild } = await import('./helpers/cli.js');
    const script = `set -o pipefail; "${process.execPath}" "${CLI_PATH}" subscribe mempool --url ${server.url} | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
    const child = spawn('bash', ['-c', script], { env: cliEnvironment(), stdio: 'pipe' });
    child.stdin.end();

    const result = await watchChild(child).result;

    assert.equal(result.stdout, '{"channel":"mempool","data":{"action":"added","txid":"0","size":1,"fee":0.1}}\n');
    assert.match(result.stderr, /status=0/);
    assert.doesNotMatch(result.stderr, /Error|EPIPE|at /);
  });
});
