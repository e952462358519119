import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import { CLI_PATH, cliEnvironment, lines, runCli, watchChild } from './helpers/cli.js';
import { startDevnodeProcess, type DevnodeProcess } from './helpers/devnode-process.js';

/** Exact literals of block 831328 in the shipped fixture, as the devnode sends them. */
const FIRST_BLOCK_HASH = /"hash":"[0-9a-f]{64}","height":831328,/;
const DIFFICULTY_LITERAL = '"difficulty":81725299822043.21842340';
const FIRST_HASH_RATE_LITERAL = '"networkHashPs":553029362709988317375';

describe('subscribe against the devnode', () => {
  let devnode: DevnodeProcess;

  before(async () => {
    devnode = await startDevnodeProcess(['--port', '0', '--block-interval', '0.1', '--quiet']);
  });

  after(() => {
    devnode.kill();
  });

  test('twenty notifications of real data as JSON lines', async () => {
    const result = await runCli(['subscribe', 'new-blocks', 'new-transactions', '--url', devnode.url, '--count', '20']);

    assert.equal(result.code, 0, result.stderr);
    const received = lines(result.stdout);
    assert.equal(received.length, 20);
    for (const line of received) {
      const notification = JSON.parse(line) as { channel: string; data: Record<string, unknown> };
      assert.ok(['new-blocks', 'new-transactions'].includes(notification.channel), line);
      const id = notification.channel === 'new-blocks' ? notification.data.hash : notification.data.txid;
      assert.match(String(id), /^[0-9a-f]{64}$/);
    }
  });

  test('jq reads every line', async () => {
    const script = `"${process.execPath}" "${CLI_PATH}" subscribe new-blocks new-transactions --url ${devnode.url} --count 20 | jq -c .channel`;
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], { env: cliEnvironment(), stdio: 'pipe' });
    child.stdin.end();

    const result = await watchChild(child).result;

    assert.equal(result.code, 0, result.stderr);
    assert.equal(lines(result.stdout).length, 20);
  });

  test('block and mining numbers arrive byte for byte', async () => {
    const result = await runCli(['subscribe', 'new-blocks', 'mining-info', '--url', devnode.url, '--count', '16', '--timeout', '20']);

    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes(DIFFICULTY_LITERAL), 'difficulty keeps all 8 decimals');
    const blocks = lines(result.stdout).filter((line) => line.startsWith('{"channel":"new-blocks"'));
    const mining = lines(result.stdout).filter((line) => line.startsWith('{"channel":"mining-info"'));
    // The replay is already running at 10 blocks a second, so a block can arrive between the
    // answers to the two subscribes, before mining-info is subscribed: the split may be 9 and 7.
    assert.equal(blocks.length + mining.length, 16);
    assert.ok(blocks.length >= 8, `${blocks.length} blocks`);
    assert.ok(mining.length >= 1, `${mining.length} mining-info`);
    assert.match(mining.join('\n'), /"networkHashPs":\d{21},/);
  });

  test('text lines read well', async () => {
    const result = await runCli(['subscribe', 'new-blocks', '--url', devnode.url, '--count', '1', '-o', 'text']);

    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^new-blocks height=8313(2[89]|3[0-5]) hash=[0-9a-f]{64} txCount=\d+ size=\d+ difficulty=81725299822043\.21842340 time=2024-02-21T\d\d:\d\d:\d\dZ\n$/,
    );
  });
});

describe('demo', () => {
  test('streams the first blocks of the replay', async () => {
    const result = await runCli(['demo', 'new-blocks', 'mining-info', '-o', 'jsonl', '--count', '2', '--block-interval', '0.05']);

    assert.equal(result.code, 0, result.stderr);
    const [block, mining] = lines(result.stdout);
    assert.match(block ?? '', FIRST_BLOCK_HASH);
    assert.ok(block?.includes(DIFFICULTY_LITERAL));
    assert.ok(mining?.includes(FIRST_HASH_RATE_LITERAL), mining);
    assert.match(result.stderr, /demo: devnode replaying real mainnet blocks at ws:\/\/127\.0\.0\.1:\d+/);
  });

  test('watches the busiest addresses', async () => {
    const result = await runCli(['demo', 'address-transactions', '-o', 'text', '--count', '3', '--block-interval', '0.05']);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /watching the busiest replayed addresses: csc1\w+, csc1\w+, csc1\w+/);
    for (const line of lines(result.stdout)) {
      assert.match(line, /^address-transactions type=(received|sent) amount=[+-]\d+(\.\d+)? address=csc1\w+ confirmations=[01] /);
    }
  });
});

describe('environment', () => {
  test('client variables do not configure the devnode', async () => {
    const devnode = await startDevnodeProcess(['--block-interval', '0.1', '--quiet'], {
      CSCWS_TOKEN: 'client-token',
      CSCWS_DEVNODE_PORT: '0',
    });
    try {
      assert.notEqual(devnode.port, 16181);
      await devnode.waitForStderr(/no token configured/);

      const result = await runCli(['subscribe', 'new-blocks', '--count', '1'], { env: { CSCWS_URL: devnode.url } });

      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /"channel":"new-blocks"/);
    } finally {
      devnode.kill();
    }
  });

  test('devnode variables do not reach subscribe', async () => {
    const devnode = await startDevnodeProcess(['--port', '0', '--block-interval', '0.1', '--quiet']);
    try {
      const result = await runCli(['subscribe', 'new-blocks', '--count', '1', '--url', devnode.url], {
        env: { CSCWS_DEVNODE_PORT: '0', CSCWS_DEVNODE_BLOCK_INTERVAL: '1' },
      });

      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /"channel":"new-blocks"/);
    } finally {
      devnode.kill();
    }
  });
});
