import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import { bech32 } from 'bech32';

import { CLI_PATH, cliEnvironment, lines, runCli, startCli, watchChild } from './helpers/cli.js';
import { startDevnodeProcess, type DevnodeProcess } from './helpers/devnode-process.js';
import { startScriptServer, type ScriptedConnection } from './helpers/script-server.js';

interface ChangeLine {
  change: string;
  address: string;
  txid: string;
  type: string;
  amount: string;
  confirmations: number;
  state: string;
  minedHeight: number | null;
  tipHeight: number | null;
  netChange: string;
}

function changes(stdout: string): ChangeLine[] {
  return lines(stdout).map((line) => JSON.parse(line) as ChangeLine);
}

/** Sums decimal coin strings exactly, in base units. */
function toUnits(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const units = BigInt(whole) * 100_000_000n + BigInt(fraction.padEnd(8, '0'));
  return negative ? -units : units;
}

const ALICE = bech32.encode('csc', [0, ...bech32.toWords(Buffer.alloc(20, 1))]);
const BOB = bech32.encode('csc', [0, ...bech32.toWords(Buffer.alloc(20, 2))]);

function addressTransaction(txid: string, address: string, type: string, amount: string, confirmations: number): string {
  return `{"channel":"address-transactions","data":{"txid":"${txid}","address":"${address}","type":"${type}","amount":${amount},"confirmations":${confirmations},"time":1700000000}}`;
}

function block(height: number): string {
  return `{"channel":"new-blocks","data":{"hash":"${String(height).padStart(64, '0')}","height":${height},"time":1700000000,"txCount":1,"size":1,"difficulty":1.0}}`;
}

function mempoolRemoved(txid: string): string {
  return `{"channel":"mempool","data":{"action":"removed","txid":"${txid}","size":200,"fee":0.0001}}`;
}

/** Starts a node that accepts every request and, once `channels` subscribes are accepted, sends `frames` 50 ms apart. */
async function withScriptedNode(channels: number, frames: readonly string[], body: (url: string, connection: Promise<ScriptedConnection>) => Promise<void>): Promise<void> {
  let resolveConnection: (connection: ScriptedConnection) => void = () => {};
  const connected = new Promise<ScriptedConnection>((resolve) => (resolveConnection = resolve));
  let answered = 0;
  const server = await startScriptServer((request, connection) => {
    connection.socket.send(JSON.stringify({ status: 'success', channel: request.json.channel, data: {} }));
    answered++;
    if (answered === channels) {
      resolveConnection(connection);
      frames.forEach((frame, i) => setTimeout(() => connection.socket.send(frame), 50 * (i + 1)));
    }
  });
  try {
    await body(server.url, connected);
  } finally {
    await server.close();
  }
}

describe('watch against a scripted node', () => {
  const PAYMENTS = [
    block(100),
    addressTransaction('t1', ALICE, 'received', '0.1', 0),
    addressTransaction('t2', ALICE, 'received', '0.2', 0),
    addressTransaction('t3', BOB, 'sent', '0.00000001', 0),
    block(101),
    addressTransaction('t1', ALICE, 'received', '0.1', 1),
    addressTransaction('t3', BOB, 'sent', '0.00000001', 1),
    block(102),
    addressTransaction('t2', ALICE, 'received', '0.2', 1),
    block(103),
    block(104),
  ];

  test('confirmations count up from heights', async () => {
    await withScriptedNode(2, PAYMENTS, async (url) => {
      const result = await runCli(['watch', ALICE, BOB, '--url', url, '--timeout', '3']);

      assert.equal(result.code, 0, result.stderr);
      const t1 = changes(result.stdout).filter((change) => change.txid === 't1');
      assert.deepEqual(
        t1.map((change) => [change.change, change.confirmations, change.minedHeight]),
        [
          ['seen', 0, null],
          ['mined', 1, 101],
          ['confirmed', 2, 101],
          ['confirmed', 3, 101],
          ['confirmed', 4, 101],
        ],
      );
      const t2 = changes(result.stdout).filter((change) => change.txid === 't2');
      assert.deepEqual(t2.map((change) => change.confirmations), [0, 1, 2, 3]);
    });
  });

  test('net change is exact', async () => {
    await withScriptedNode(2, PAYMENTS, async (url) => {
      const result = await runCli(['watch', ALICE, BOB, '--url', url, '--timeout', '3']);

      assert.equal(result.code, 0, result.stderr);
      const all = changes(result.stdout);
      const alice = all.filter((change) => change.address === ALICE);
      assert.deepEqual(alice.slice(0, 2).map((change) => change.netChange), ['0.1', '0.3']);
      assert.equal(alice.at(-1)?.netChange, '0.3');
      const bob = all.filter((change) => change.address === BOB);
      assert.equal(bob[0]?.amount, '-0.00000001');
      assert.equal(bob.at(-1)?.netChange, '-0.00000001');
      assert.equal(all[0]?.tipHeight, 100);
    });
  });

  test('until-confirmed exits at the goal', async () => {
    await withScriptedNode(2, PAYMENTS, async (url, connection) => {
      const result = await runCli(['watch', ALICE, '--url', url, '--until-confirmed', '2', '--min-amount', '0.15', '--timeout', '10']);

      assert.equal(result.code, 0, result.stderr);
      const all = changes(result.stdout);
      const last = all.at(-1);
      assert.equal(last?.txid, 't2', 't1 pays 0.1, under --min-amount');
      assert.equal(last?.confirmations, 2);
      assert.ok(all.every((change) => change.address === ALICE), 'notifications for unwatched addresses are ignored');
      assert.match(result.stderr, /ignoring address-transactions for csc1\S+, which is not watched/);
      assert.match(result.stderr, /watch: t2 paid 0\.2 to csc1\S+ and has 2 confirmations/);
      assert.equal(await (await connection).closed, 1000);
    });
  });

  test('timeout before the goal exits 7', async () => {
    await withScriptedNode(2, PAYMENTS, async (url) => {
      const result = await runCli(['watch', ALICE, '--url', url, '--until-confirmed', '9', '--timeout', '2']);

      assert.equal(result.code, 7, result.stderr);
      assert.match(result.stderr, /--timeout of 2 s elapsed before a received transaction reached 9 confirmations/);
      assert.ok(changes(result.stdout).length > 0, 'changes were written before the timeout');
    });
  });

  test('subscribes on one connection', async () => {
    await withScriptedNode(3, [], async (url, connection) => {
      const cli = startCli(['watch', `${ALICE},${BOB}`, ALICE.toUpperCase(), '--url', url, '--mempool', '--timeout', '2']);
      const requests = (await connection).requests.map((request) => request.json);
      const result = await cli.result;

      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(requests, [
        { action: 'subscribe', channel: 'address-transactions', params: { addresses: [ALICE, BOB] } },
        { action: 'subscribe', channel: 'new-blocks' },
        { action: 'subscribe', channel: 'mempool' },
      ]);
    });
  });

  test('addresses from stdin', async () => {
    await withScriptedNode(2, [], async (url, connection) => {
      const cli = startCli(['watch', '-', '--url', url, '--timeout', '2']);
      cli.child.stdin.end(`# wallet\n${BOB}\n${ALICE}  # savings\n${BOB}\n`);
      const requests = (await connection).requests.map((request) => request.json);
      const result = await cli.result;

      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(requests[0], { action: 'subscribe', channel: 'address-transactions', params: { addresses: [BOB, ALICE] } });
    });
  });

  test('evicted transaction is marked', async () => {
    const frames = [
      block(200),
      addressTransaction('gone', ALICE, 'received', '5.0', 0),
      addressTransaction('kept', ALICE, 'received', '1.0', 0),
      mempoolRemoved('gone'),
      mempoolRemoved('kept'),
      block(201),
      addressTransaction('kept', ALICE, 'received', '1.0', 1),
      block(202),
    ];
    await withScriptedNode(3, frames, async (url) => {
      const result = await runCli(['watch', ALICE, '--url', url, '--mempool', '--timeout', '3']);

      assert.equal(result.code, 0, result.stderr);
      const gone = changes(result.stdout).filter((change) => change.txid === 'gone');
      assert.deepEqual(gone.map((change) => [change.change, change.state, change.netChange]), [
        ['seen', 'pending', '5'],
        ['evicted', 'evicted', '1'],
      ]);
      const kept = changes(result.stdout).filter((change) => change.txid === 'kept');
      assert.deepEqual(kept.map((change) => change.state), ['pending', 'mined', 'mined']);
    });
  });

  test('reorg and late first block', async () => {
    const frames = [
      addressTransaction('early', ALICE, 'received', '2.0', 1),
      block(300),
      addressTransaction('late', ALICE, 'received', '3.0', 1),
      block(301),
      block(300),
      addressTransaction('late', ALICE, 'received', '3.0', 1),
    ];
    await withScriptedNode(2, frames, async (url) => {
      const result = await runCli(['watch', ALICE, '--url', url, '--timeout', '2']);

      assert.equal(result.code, 0, result.stderr);
      const early = changes(result.stdout).filter((change) => change.txid === 'early');
      // Mined before any block was seen: the first block counts as its second confirmation.
      assert.deepEqual(early.map((change) => [change.change, change.confirmations, change.minedHeight]), [
        ['mined', 1, null],
        ['confirmed', 2, 299],
        ['confirmed', 3, 299],
        ['confirmed', 2, 299],
      ]);
      const late = changes(result.stdout).filter((change) => change.txid === 'late');
      assert.deepEqual(late.map((change) => [change.change, change.confirmations, change.state]), [
        ['mined', 1, 'mined'],
        ['confirmed', 2, 'mined'],
        ['reorged', 0, 'pending'],
        ['mined', 1, 'mined'],
      ]);
      assert.equal(late.at(-1)?.netChange, '5');
    });
  });

  test('live view on request', async () => {
    await withScriptedNode(2, PAYMENTS.slice(0, 6), async (url) => {
      const result = await runCli(['watch', ALICE, '--url', url, '--output', 'view', '--timeout', '2']);

      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.startsWith('\x1b[?1049h'), 'enters the alternate screen');
      const afterScreen = result.stdout.slice(result.stdout.lastIndexOf('\x1b[?1049l') + '\x1b[?1049l'.length);
      assert.match(afterScreen, /cscws watch {2}ended {2}block 101/);
      assert.match(afterScreen, /\+0\.30000000/);
      assert.match(afterScreen, /mined at 101/);
      assert.match(afterScreen, /in mempool/);
    });
  });

  // util-linux `script` runs the CLI on a pseudo-terminal, as a user's shell would.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  test('live view on a terminal', { skip: hasScript ? false : 'util-linux script is not installed' }, async () => {
    await withScriptedNode(2, PAYMENTS, async (url) => {
      const command = `stty rows 30 cols 120; "${process.execPath}" "${CLI_PATH}" watch ${ALICE} ${BOB} --url ${url} --timeout 2`;
      const child = spawn('script', ['-qec', command, '/dev/null'], { env: cliEnvironment({ FORCE_COLOR: '1' }), stdio: 'pipe' });
      child.stdin.end();
      const result = await watchChild(child).result;

      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.includes('\x1b[?1049h'), 'enters the alternate screen on its own');
      assert.ok(result.stdout.includes('\x1b[?1049l'), 'restores the screen');
      const redraws = result.stdout.split('\x1b[H\x1b[2J').length - 1;
      assert.ok(redraws >= 2, `redrew ${redraws} times`);
      assert.ok(redraws <= 2 * 5 + 2, `redraws are throttled: ${redraws} in 2 s`);
      assert.ok(result.stdout.includes('\x1b[32m+0.30000000'), 'net change in green');
    });
  });

  test('usage errors', async () => {
    const none = await runCli(['watch', '--url', 'ws://127.0.0.1:9']);
    const minWithout = await runCli(['watch', ALICE, '--min-amount', '1', '--url', 'ws://127.0.0.1:9']);
    const badAmount = await runCli(['watch', ALICE, '--until-confirmed', '1', '--min-amount', '0.000000001', '--url', 'ws://127.0.0.1:9']);
    const badAddress = await runCli(['watch', 'csc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh', '--url', 'ws://127.0.0.1:9']);

    assert.equal(none.code, 2);
    assert.match(none.stderr, /watch needs at least one address/);
    assert.equal(minWithout.code, 2);
    assert.match(minWithout.stderr, /--min-amount only applies to --until-confirmed/);
    assert.equal(badAmount.code, 2);
    assert.match(badAmount.stderr, /--min-amount "0\.000000001" is not an amount in coins with at most 8 decimals/);
    assert.equal(badAddress.code, 2);
    assert.match(badAddress.stderr, /bad checksum, probably a typo/);
  });
});

describe('watch against the devnode', () => {
  let devnode: DevnodeProcess;

  before(async () => {
    devnode = await startDevnodeProcess(['--port', '0', '--block-interval', '0.4', '--quiet']);
    await devnode.waitForStderr(/devnode: auth:/);
  });

  after(() => {
    devnode.kill();
  });

  test('busiest address until 3 confirmations', async () => {
    const busiest = /devnode: {3}(csc1\S+)/.exec(devnode.stderr())?.[1] ?? '';
    const result = await runCli(['watch', busiest, '--url', devnode.url, '--until-confirmed', '3', '--timeout', '40'], { killAfterMs: 60_000 });

    assert.equal(result.code, 0, result.stderr);
    const all = changes(result.stdout);
    assert.ok(all.every((change) => change.address === busiest));
    assert.ok(all.some((change) => change.change === 'confirmed' && change.confirmations === 2));
    // The block that brought the goal also updates younger transactions, so the goal line need not be last.
    const goal = /watch: ([0-9a-f]{64}) paid \S+ to \S+ and has 3 confirmations/.exec(result.stderr)?.[1];
    assert.ok(all.some((change) => change.txid === goal && change.type === 'received' && change.confirmations === 3), result.stderr);
    assert.ok(all.every((change) => change.confirmations <= 3));

    // The net change is the exact sum of each transaction's latest amount.
    const latest = new Map<string, string>();
    for (const change of all) {
      if (change.state !== 'evicted') {
        latest.set(change.txid, change.amount);
      }
    }
    const sum = [...latest.values()].reduce((total, amount) => total + toUnits(amount), 0n);
    assert.equal(toUnits(all.at(-1)?.netChange ?? ''), sum);
  });
});
