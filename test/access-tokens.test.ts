import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { runCli, type CliResult } from './helpers/cli.js';
import { DevnodeClient } from './helpers/devnode-client.js';
import { startScriptServer } from './helpers/script-server.js';
import { startDevnodeProcess, type DevnodeProcess } from './helpers/devnode-process.js';

const TOKEN = 'tok-3f9a61c2e8b7d540';
const WRONG_TOKEN = 'wrong-7c1d0e92ab45';

let devnode: DevnodeProcess;
let dir: string;
let tokenFile: string;

/** Fails the test when any byte the CLI wrote, on stdout or stderr, contains a token. */
function assertNoToken(result: CliResult, token = TOKEN): void {
  assert.ok(!result.stdout.includes(token), 'the token is not on stdout');
  assert.ok(!result.stderr.includes(token), 'the token is not on stderr');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cscws-tokens-'));
  tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  devnode = await startDevnodeProcess([
    '--port', '0', '--block-interval', '0.2',
    '--token', TOKEN, '--private', 'new-blocks', '--private', 'address-transactions',
  ]);
  await devnode.waitForStderr(/private channels: new-blocks, address-transactions/);
});

after(() => {
  devnode.kill();
  rmSync(dir, { recursive: true, force: true });
});

function subscribe(channel: string, extra: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(['subscribe', channel, '--url', devnode.url, '--count', '1', '--output', 'jsonl', '--connect-timeout', '20', ...extra], { env });
}

describe('token', () => {
  test('right token from a file opens a private channel', async () => {
    const result = await subscribe('new-blocks', ['--token-file', tokenFile, '--verbose'], { NODE_DEBUG: 'cscws' });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\{"channel":"new-blocks"/);
    assert.match(result.stderr, /authenticated/);
    assert.doesNotMatch(result.stderr, /warning/);
    assertNoToken(result);
  });

  test('right token from CSCWS_TOKEN works', async () => {
    // NODE_DEBUG without --verbose takes the debuglog path, which is filtered too.
    const result = await subscribe('new-blocks', [], { CSCWS_TOKEN: TOKEN, NODE_DEBUG: 'cscws' });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /CSCWS \d+: authenticated/);
    assertNoToken(result);
  });

  test('--token works and warns', async () => {
    const result = await subscribe('new-blocks', ['--token', TOKEN, '--verbose']);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: --token is visible to other users in the process list/);
    assertNoToken(result);
  });

  test('wrong token exits 4 with the server message', async () => {
    const result = await subscribe('new-blocks', ['--token', WRONG_TOKEN, '--verbose'], { NODE_DEBUG: 'cscws' });

    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /error: token rejected: auth_required: Token is invalid/);
    assertNoToken(result, WRONG_TOKEN);
    assert.equal(result.stdout, '');
  });

  test('missing token on a private channel exits 4', async () => {
    const result = await subscribe('new-blocks', []);

    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /error: channel new-blocks requires authentication/);
    assert.match(result.stderr, /--token-file FILE, CSCWS_TOKEN or --token/);
  });

  test('public channel needs no token', async () => {
    const result = await subscribe('mining-info', []);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\{"channel":"mining-info"/);
  });

  test('token goes out before the subscribe', async () => {
    const client = await DevnodeClient.connect(devnode.url);
    try {
      const early = await client.request({ action: 'subscribe', channel: 'new-blocks' });
      assert.equal(early.error?.code, 'auth_required');
      const auth = await client.request({ action: 'auth', token: TOKEN });
      assert.equal(auth.status, 'success');
      const late = await client.request({ action: 'subscribe', channel: 'new-blocks' });
      assert.equal(late.status, 'success');
    } finally {
      client.socket.terminate();
    }
  });

  test('token file readable by others warns', async () => {
    const open = join(dir, 'open-token');
    writeFileSync(open, TOKEN);
    chmodSync(open, 0o644);
    const result = await subscribe('new-blocks', ['--token-file', open]);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: the token file .*open-token can be read by other users \(mode 0644\); run chmod 600/);
    assertNoToken(result);
  });

  test('empty token file is a usage error', async () => {
    const empty = join(dir, 'empty-token');
    writeFileSync(empty, '\n', { mode: 0o600 });
    const result = await subscribe('new-blocks', ['--token-file', empty]);

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /the token file .*empty-token is empty/);
  });

  test('flag token file beats env token', async () => {
    const result = await subscribe('new-blocks', ['--token-file', tokenFile], { CSCWS_TOKEN: WRONG_TOKEN });

    assert.equal(result.code, 0, result.stderr);
    assertNoToken(result, WRONG_TOKEN);
  });

  test('token and token file as flags conflict', async () => {
    const result = await subscribe('new-blocks', ['--token-file', tokenFile, '--token', TOKEN]);

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /both a token and a token file are set \(on the command line\)/);
    assertNoToken(result);
  });

  test('devnode log never shows a token', async () => {
    await devnode.waitForStderr(/error auth_required: Token is invalid/);
    const log = devnode.stderr();

    assert.match(log, /auth accepted/);
    assert.ok(!log.includes(TOKEN), 'the right token is not in the devnode log');
    assert.ok(!log.includes(WRONG_TOKEN), 'a wrong token is not in the devnode log');
  });

  test('token echoed by a server is redacted', async () => {
    const server = await startScriptServer((request, connection) => {
      const echo = JSON.stringify(request.json);
      connection.socket.send(JSON.stringify({ status: 'error', error: { code: 'auth_required', message: `bad token in ${echo}` } }));
    });
    try {
      const result = await runCli(['subscribe', 'new-blocks', '--url', server.url, '--token-file', tokenFile, '--verbose'], {
        env: { NODE_DEBUG: 'cscws' },
      });

      assert.equal(result.code, 4, result.stderr);
      assert.match(result.stderr, /token rejected: auth_required: bad token in \{"action":"auth","token":"\[redacted\]"\}/);
      assertNoToken(result);
    } finally {
      await server.close();
    }
  });
});
