import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

import { PtyCli } from './helpers/pty-cli.js';
import { startScriptServer, type RequestScript, type ScriptServer } from './helpers/script-server.js';

const CRASH_SCRIPT = fileURLToPath(new URL('../../test/fixtures/table-crash.mjs', import.meta.url));

/** Answers each request with success; after each subscribe, sends that channel's frames. */
function answerThenSend(framesByChannel: Record<string, string[]>, answerUnsubscribe = true): RequestScript {
  return (request, connection) => {
    if (request.json.action === 'unsubscribe' && !answerUnsubscribe) {
      return;
    }
    connection.socket.send(JSON.stringify({ status: 'success', channel: request.json.channel, data: {} }));
    if (request.json.action === 'subscribe') {
      for (const frame of framesByChannel[String(request.json.channel)] ?? []) {
        connection.socket.send(frame);
      }
    }
  };
}

function mempoolFrame(txid: string, size: number): string {
  return JSON.stringify({ channel: 'mempool', data: { action: 'added', txid, size, fee: 0.0001 } });
}

function blockFrame(height: number, hash: string): string {
  return `{"channel":"new-blocks","data":{"hash":${JSON.stringify(hash)},"height":${height},"time":1708475256,"txCount":1979,"size":1970169,"difficulty":81725299822043.21842340}}`;
}

const FULL_HASH = '00000000000000000002460ebd4c84e75627a5c4c07e5b1d6b91325c4e4558d6';

describe('table view in a terminal', () => {
  const servers: ScriptServer[] = [];
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  async function server(script: RequestScript): Promise<ScriptServer> {
    const started = await startScriptServer(script);
    servers.push(started);
    return started;
  }

  test('rows appear newest first, Ctrl-C restores the screen', async () => {
    const frames = [1, 2, 3, 4, 5].map((n) => mempoolFrame(`row-${n}`, 100 + n));
    const { url } = await server(answerThenSend({ mempool: frames }));
    const cli = new PtyCli(['subscribe', 'mempool', '--url', url], { columns: 100, rows: 20 });

    const lines = await cli.waitForScreen((screen) => screen.some((line) => line.includes('row-5')), 'five rows');
    assert.ok(cli.isAlternateScreen(), 'the table is on the alternate screen');
    assert.match(lines[0] ?? '', /ws:\/\/127\.0\.0\.1:\d+\/ +│ +live/u);
    const positions = [5, 4, 3, 2, 1].map((n) => lines.findIndex((line) => line.includes(`row-${n}`)));
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `rows newest first:\n${lines.join('\n')}`);
    assert.ok(positions.every((position) => position > 0));

    cli.write('\u0003');
    const exit = await cli.exited;

    assert.equal(exit.exitCode, 130);
    assert.equal(cli.isAlternateScreen(), false, 'back on the normal screen');
    assert.ok(cli.isCursorVisible(), 'cursor shown again');
    assert.match(cli.normalScreenText(), /5 notifications in \d+s: mempool 5/u);
  });

  test('resize re-lays the panels', async () => {
    const frames = [1, 2, 3].map((n) => blockFrame(831327 + n, FULL_HASH));
    const { url } = await server(answerThenSend({ 'new-blocks': frames }));
    const cli = new PtyCli(['subscribe', 'new-blocks', '--url', url], { columns: 120, rows: 20 });

    await cli.waitForScreen((screen) => screen.some((line) => line.includes('81,725,299,822,043.21842340')), 'the wide layout');

    cli.resize(50, 20);
    const narrow = await cli.waitForScreen((screen) => screen.some((line) => line.includes('columns hidden')), 'the narrow layout');
    assert.ok(!narrow.some((line) => line.includes('difficulty')), `difficulty dropped at 50 columns:\n${narrow.join('\n')}`);
    assert.ok(narrow.some((line) => line.includes('831330')), 'height kept');
    assert.ok(narrow.every((line) => line.length <= 50));
    assert.equal(cli.hasWrappedLines(), false);

    cli.resize(120, 20);
    await cli.waitForScreen((screen) => screen.some((line) => line.includes('difficulty')), 'the wide layout again');

    cli.kill('SIGTERM');
    const exit = await cli.exited;
    assert.equal(exit.exitCode, 143);
    assert.equal(cli.isAlternateScreen(), false);
    assert.ok(cli.isCursorVisible());
  });

  test('hostile server strings show escaped', async () => {
    const frames = [blockFrame(1, 'plain'), blockFrame(2, '🚀矿池'), blockFrame(3, '\u001b[2J\u001b[31mred')];
    const hostile = await server(answerThenSend({ 'new-blocks': frames }));
    // --no-reconnect, so that the hostile close below ends the run and its reason reaches the summary.
    const cli = new PtyCli(['subscribe', 'new-blocks', '--url', hostile.url, '--no-reconnect'], { columns: 120, rows: 20 });

    const lines = await cli.waitForScreen((screen) => screen.some((line) => line.includes('\\x1b[2J')), 'the escaped hash');
    assert.match(lines[0] ?? '', /^ws:\/\/127\.0\.0\.1/u, 'the status line was not cleared');
    assert.ok(lines.some((line) => line.includes('🚀矿池')));

    const header = lines.findIndex((line) => line.includes('height'));
    const rocket = lines.findIndex((line) => line.includes('🚀矿池'));
    const plain = lines.findIndex((line) => line.includes('plain'));
    assert.deepEqual(cli.borderColumns(rocket), cli.borderColumns(header), 'CJK and emoji keep the columns aligned');
    assert.deepEqual(cli.borderColumns(plain), cli.borderColumns(header));

    // The server goes away with a close reason that tries to clear the screen and write the clipboard.
    const connection = hostile.connections[0];
    assert.ok(connection !== undefined);
    connection.socket.close(4001, '\u001b[2J\u001b]52;c;aGVsbG8=\u0007bye\u202e');
    const exit = await cli.exited;

    assert.equal(exit.exitCode, 3);
    assert.equal(cli.isAlternateScreen(), false);
    const text = cli.normalScreenText();
    assert.ok(text.includes('\\x1b[2J\\x1b]52;c;aGVsbG8=\\x07bye\\u202e'), text);
    const raw = cli.output();
    assert.ok(!raw.includes('\u001b[2J'), 'no clear-screen sequence reached the terminal');
    assert.ok(!raw.includes('\u001b]52'), 'no clipboard write reached the terminal');
    assert.ok(!raw.includes('\u001b[31mred'), 'no colour from the server reached the terminal');
    assert.ok(!raw.includes('\u202e'), 'no bidirectional override reached the terminal');
  });

  test('status line counts down a reconnect', async () => {
    const dropping = await server(answerThenSend({ 'new-blocks': [blockFrame(1, 'before-drop')] }));
    const cli = new PtyCli(['subscribe', 'new-blocks', '--url', dropping.url, '--reconnect-delay', '20'], { columns: 120, rows: 20 });
    await cli.waitForScreen((screen) => screen.some((line) => line.includes('before-drop')), 'the row');

    dropping.connections[0]?.socket.close(1011, 'restarting');
    const lines = await cli.waitForScreen((screen) => /reconnecting in \d+s \(attempt 1\)/u.test(screen[0] ?? ''), 'the countdown');

    assert.match(lines[0] ?? '', /closed by the server/u);
    cli.kill('SIGINT');
    const exit = await cli.exited;
    assert.equal(exit.exitCode, 130);
  });

  test('warnings show in the table and stay after', async () => {
    const { url } = await server(answerThenSend({ mempool: [mempoolFrame('before-broken', 120), 'not json'] }));
    const cli = new PtyCli(['subscribe', 'mempool', '--url', url], { columns: 100, rows: 20 });

    const lines = await cli.waitForScreen((screen) => screen.some((line) => line.includes('before-broken')), 'the row');
    await cli.waitForScreen((screen) => screen.some((line) => line.includes('skipped a frame')), 'the warning');
    assert.match(lines[0] ?? '', /^ws:/u, 'the warning did not push the table down');

    cli.write('q');
    await cli.exited;

    assert.match(cli.normalScreenText(), /cscws: warning: skipped a frame from the server: not valid JSON/u);
  });

  test('--count reached restores the screen', async () => {
    const frames = [1, 2, 3, 4].map((n) => mempoolFrame(`tx-${n}`, 200 + n));
    const { url } = await server(answerThenSend({ mempool: frames }));
    const cli = new PtyCli(['subscribe', 'mempool', '--url', url, '--count', '3'], { columns: 80, rows: 20 });

    const exit = await cli.exited;

    assert.equal(exit.exitCode, 0);
    assert.equal(cli.isAlternateScreen(), false);
    assert.ok(cli.isCursorVisible());
    assert.match(cli.normalScreenText(), /3 notifications in \d+s: mempool 3/u);
  });

  test('second Ctrl-C still restores the screen', async () => {
    // The server never answers the unsubscribe, so the first Ctrl-C waits for it.
    const { url } = await server(answerThenSend({ mempool: [mempoolFrame('only', 150)] }, false));
    const cli = new PtyCli(['subscribe', 'mempool', '--url', url], { columns: 80, rows: 20 });
    await cli.waitForScreen((screen) => screen.some((line) => line.includes('only')), 'the first row');

    cli.write('\u0003');
    await new Promise((resolve) => setTimeout(resolve, 200));
    cli.write('\u0003');
    const exit = await cli.exited;

    assert.equal(exit.exitCode, 130);
    assert.equal(cli.isAlternateScreen(), false);
    assert.ok(cli.isCursorVisible());
  });

  test('uncaught error restores the screen', async () => {
    const cli = new PtyCli([], { script: CRASH_SCRIPT, columns: 80, rows: 20 });
    await cli.waitForScreen((screen) => screen.some((line) => line.includes('before the crash')), 'the frame');
    assert.ok(cli.isAlternateScreen());

    const exit = await cli.exited;

    assert.equal(exit.exitCode, 1);
    assert.equal(cli.isAlternateScreen(), false);
    assert.ok(cli.isCursorVisible());
    assert.match(cli.normalScreenText(), /Error: crash inside the table/u);
  });

  test('narrow and short terminals never wrap', async () => {
    const { url } = await server(
      answerThenSend({
        'new-blocks': [blockFrame(831328, FULL_HASH)],
        mempool: [mempoolFrame(FULL_HASH, 250)],
        'mining-info': [
          '{"channel":"mining-info","data":{"blocks":831328,"currentBlockWeight":3993027,"currentBlockTx":1979,"difficulty":81725299822043.21842340,"networkHashPs":553029362709988317375,"pooledTx":0}}',
        ],
      }),
    );
    const cli = new PtyCli(['subscribe', 'new-blocks', 'new-transactions', 'mempool', 'mining-info', '--url', url], {
      columns: 100,
      rows: 50,
    });
    await cli.waitForScreen((screen) => screen.some((line) => line.includes('553,029,362,709,988,317,375')), 'all panels');

    for (const [columns, rows] of [
      [40, 14],
      [24, 8],
      [12, 4],
      [3, 2],
      [100, 50],
    ] as const) {
      cli.resize(columns, rows);
      const lines = await cli.waitForNextFrame();
      const where = `${columns}×${rows}:\n${lines.join('\n')}`;
      assert.equal(cli.hasWrappedLines(), false, where);
      assert.ok(lines.every((line) => line.length <= columns), where);
      if (rows === 14) {
        assert.ok(lines.some((line) => line.includes('no room')), `panels left out are named; ${where}`);
      }
      if (rows === 50) {
        assert.ok(lines.some((line) => line.includes('mining-info')), where);
      }
    }

    cli.write('q');
    const exit = await cli.exited;
    assert.equal(exit.exitCode, 130);
    assert.equal(cli.isAlternateScreen(), false);
  });

  test('redraws at most ten times a second', async () => {
    const total = 20_000;
    const flood: RequestScript = (request, connection) => {
      connection.socket.send(JSON.stringify({ status: 'success', channel: request.json.channel, data: {} }));
      if (request.json.action !== 'subscribe') {
        return;
      }
      // 200 notifications every 20 ms: about 10,000 a second for 2 seconds.
      let sent = 0;
      const timer = setInterval(() => {
        for (let i = 0; i < 200 && sent < total; i++, sent++) {
          connection.socket.send(mempoolFrame(`flood-${sent}`, 100 + (sent % 900)));
        }
        if (sent >= total) {
          clearInterval(timer);
        }
      }, 20);
    };
    const { url } = await server(flood);
    const startedAt = performance.now();
    const cli = new PtyCli(['subscribe', 'mempool', '--url', url, '--count', String(total)], { columns: 100, rows: 30, killAfterMs: 60_000 });

    const exit = await cli.exited;
    const elapsedMs = performance.now() - startedAt;

    assert.equal(exit.exitCode, 0);
    assert.match(cli.normalScreenText(), /20,000 notifications/u);
    const frames = cli.frameCount();
    // At least 100 ms lie between two frames, so the run can draw at most one frame per 100 ms
    // of its life, plus the first.
    assert.ok(frames <= elapsedMs / 100 + 1, `${frames} frames in ${Math.round(elapsedMs)} ms`);
    assert.ok(frames >= 2, `${frames} frames`);
  });
});
