import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { runCli } from './helpers/cli.js';
import { PtyCli } from './helpers/pty-cli.js';
import { startScriptServer, type RequestScript, type ScriptServer } from './helpers/script-server.js';

const FRAMES = [
  '{"channel":"mempool","data":{"action":"added","txid":"aa11","size":250,"fee":0.0001}}',
  '{"channel":"mempool","data":{"action":"removed","txid":"bb22","size":251,"fee":0.00010}}',
];

const sendFrames: RequestScript = (request, connection) => {
  connection.socket.send(JSON.stringify({ status: 'success', channel: request.json.channel, data: {} }));
  if (request.json.action === 'subscribe') {
    for (const frame of FRAMES) {
      connection.socket.send(frame);
    }
  }
};

const ESC = '\u001b';
/** Select Graphic Rendition: the escape sequences that set colours and styles. */
const SGR = /\u001b\[[0-9;]*m/u;

/** Builds an environment with neither NO_COLOR nor FORCE_COLOR, plus `extra`. */
function colorEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { NO_COLOR: undefined, FORCE_COLOR: undefined, ...extra };
}

describe('colour policy', () => {
  let server: ScriptServer;
  let args: string[];

  before(async () => {
    server = await startScriptServer(sendFrames);
    args = ['subscribe', 'mempool', '--url', server.url, '--count', '2'];
  });
  after(async () => {
    await server.close();
  });

  test('piped output has no escape byte', async () => {
    for (const output of ['jsonl', 'text']) {
      const result = await runCli([...args, '-o', output], { env: colorEnv() });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(!result.stdout.includes(ESC), `${output}: ${JSON.stringify(result.stdout)}`);
      assert.ok(!result.stderr.includes(ESC), `${output} stderr: ${JSON.stringify(result.stderr)}`);
    }
  });

  test('FORCE_COLOR colours text in a pipe', async () => {
    const result = await runCli([...args, '-o', 'text'], { env: colorEnv({ FORCE_COLOR: '1' }) });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\u001b\[32madded\u001b\[39m/u);
    assert.match(result.stdout, /\u001b\[31mremoved\u001b\[39m/u);
  });

  test('--color always colours text in a pipe', async () => {
    const result = await runCli([...args, '-o', 'text', '--color', 'always'], { env: colorEnv({ NO_COLOR: '1' }) });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, SGR);
  });

  test('--color never wins over FORCE_COLOR', async () => {
    for (const flags of [['--color', 'never'], ['--no-color']]) {
      const result = await runCli([...args, '-o', 'text', ...flags], { env: colorEnv({ FORCE_COLOR: '3' }) });

      assert.equal(result.code, 0, result.stderr);
      assert.ok(!result.stdout.includes(ESC), flags.join(' '));
    }
  });

  test('FORCE_COLOR=0 turns colour off', async () => {
    const result = await runCli([...args, '-o', 'text'], { env: colorEnv({ FORCE_COLOR: '0' }) });

    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes(ESC));
  });

  test('jsonl stays byte-exact with --color always', async () => {
    const result = await runCli([...args, '-o', 'jsonl', '--color', 'always'], { env: colorEnv() });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${FRAMES.join('\n')}\n`);
  });

  test('--output table into a pipe is a usage error', async () => {
    const result = await runCli([...args, '-o', 'table'], { env: colorEnv() });

    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /--output table needs a terminal, but stdout is a pipe or a file/u);
    assert.match(result.stderr, /hint: Use --output jsonl/u);
    assert.ok(!result.stderr.includes(ESC));
  });

  test('FORCE_COLOR colours diagnostics', async () => {
    const result = await runCli([...args, '-o', 'table'], { env: colorEnv({ FORCE_COLOR: '1' }) });

    assert.equal(result.code, 2);
    assert.match(result.stderr, /cscws: \u001b\[31m\u001b\[1merror/u);
  });

  for (const [name, extraArgs, env] of [
    ['NO_COLOR=1 on a terminal gives no colour', [], colorEnv({ NO_COLOR: '1' })],
    ['--color never on a terminal gives no colour', ['--color', 'never'], colorEnv()],
  ] as const) {
    test(name, async () => {
      const cli = new PtyCli(['subscribe', 'mempool', '--url', server.url, ...extraArgs], { env, columns: 100, rows: 20 });
      await cli.waitForScreen((screen) => screen.some((line) => line.includes('bb22')), 'both rows');
      cli.write('q');

      const exit = await cli.exited;

      assert.equal(exit.exitCode, 130);
      assert.match(cli.normalScreenText(), /2 notifications/u);
      assert.ok(!SGR.test(cli.output()), JSON.stringify(cli.output().slice(0, 400)));
    });
  }

  test('table on a terminal is coloured by default', async () => {
    const cli = new PtyCli(['subscribe', 'mempool', '--url', server.url], { env: colorEnv(), columns: 100, rows: 20 });
    await cli.waitForScreen((screen) => screen.some((line) => line.includes('bb22')), 'both rows');
    cli.write('q');

    const exit = await cli.exited;

    assert.equal(exit.exitCode, 130);
    assert.match(cli.output(), SGR);
  });
});
