import assert from 'node:assert/strict';
import { connect as connectTcp, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';

import { parseLossless } from '../src/protocol/json-text.js';
import { DevnodeClient, isChannel, rawField } from './helpers/devnode-client.js';
import { runDevnodeToExit, startDevnodeProcess, type DevnodeProcess } from './helpers/devnode-process.js';

/** The documentation's placeholder address; its checksum is wrong, and the devnode must accept it anyway. */
const DOC_ADDRESS = 'csc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';

/** Mainnet block 831328, the fixture's first block. */
const FIRST_BLOCK = {
  hash: '00000000000000000002460ebd4c84e75627a5c4c07e5b1d6b91325c4e4558d6',
  height: '831328',
  time: '1708475256',
  txCount: '1979',
  size: '1970169',
  difficulty: '81725299822043.21842340',
  networkHashPs: '553029362709988317375',
};
const LAST_HEIGHT = '831335';

const children: DevnodeProcess[] = [];
const clients: DevnodeClient[] = [];

async function startDevnode(args: string[], env: Record<string, string> = {}): Promise<DevnodeProcess> {
  const devnode = await startDevnodeProcess(args, env);
  children.push(devnode);
  return devnode;
}

async function connect(devnode: DevnodeProcess): Promise<DevnodeClient> {
  const client = await DevnodeClient.connect(devnode.url);
  clients.push(client);
  return client;
}

/** Reads the busiest address from the start-up lines on stderr. */
function busiestAddress(devnode: DevnodeProcess): string {
  const match = /^devnode: {3}(csc1\S+) \(\d+ transactions\)$/m.exec(devnode.stderr());
  assert.ok(match?.[1], `no busiest address on stderr: ${devnode.stderr()}`);
  return match[1];
}

after(async () => {
  for (const client of clients) {
    client.socket.terminate();
  }
  for (const child of children) {
    child.kill();
  }
});

describe('devnode with defaults', () => {
  let devnode: DevnodeProcess;

  before(async () => {
    // A fast replay announces far more than the default 1000 mempool notifications a minute.
    devnode = await startDevnode(['--port', '0', '--block-interval', '0.1', '--quiet', '--mempool-limit', '1000000']);
    await devnode.waitForStderr(/busiest addresses/);
  });

  test('prints only the URL on stdout', () => {
    assert.match(devnode.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(devnode.port, 0);
  });

  test('acknowledges every channel', async () => {
    const client = await connect(devnode);
    const channels = ['new-blocks', 'new-transactions', 'address-transactions', 'mempool', 'mining-info'];

    for (const channel of channels) {
      const params = channel === 'address-transactions' ? { addresses: [DOC_ADDRESS] } : undefined;
      const response = await client.request({ action: 'subscribe', channel, params });
      assert.equal(response.status, 'success', `subscribe ${channel}: ${JSON.stringify(response)}`);
      assert.equal(response.channel, channel);
      assert.equal(response.data?.action, 'subscribe');
    }
    for (const channel of channels) {
      const response = await client.request({ action: 'unsubscribe', channel });
      assert.equal(response.status, 'success', `unsubscribe ${channel}: ${JSON.stringify(response)}`);
      assert.equal(response.channel, channel);
    }
    await client.close();
  });

  test('accepts the documented placeholder address', async () => {
    const client = await connect(devnode);
    const response = await client.request({
      action: 'subscribe',
      channel: 'address-transactions',
      params: { addresses: [DOC_ADDRESS] },
    });
    assert.equal(response.status, 'success');
    assert.equal(response.data?.watchedAddresses, 1);
    await client.close();
  });

  test('auth succeeds without configured tokens', async () => {
    const client = await connect(devnode);
    const response = await client.request({ action: 'auth', token: 'anything' });
    assert.equal(response.status, 'success');
    assert.equal(response.channel, undefined);
    await client.close();
  });

  test('unknown channel is invalid_channel', async () => {
    const client = await connect(devnode);
    const response = await client.request({ action: 'subscribe', channel: 'invalid' });
    assert.equal(response.status, 'error');
    assert.equal(response.channel, 'invalid');
    assert.equal(response.error?.code, 'invalid_channel');
    assert.equal(response.error?.message, "Channel 'invalid' does not exist");
    await client.close();
  });

  test('bad addresses are invalid_params', async () => {
    const client = await connect(devnode);
    const cases: [params: unknown, expected: RegExp][] = [
      [undefined, /params\.addresses/],
      [{}, /params\.addresses/],
      [{ addresses: [] }, /empty/],
      [{ addresses: DOC_ADDRESS }, /must be an array/],
      [{ addresses: [''] }, /addresses\[0\]/],
      [{ addresses: [DOC_ADDRESS, 5] }, /addresses\[1\]/],
      ['addresses', /"params" must be an object/],
    ];

    for (const [params, expected] of cases) {
      const response = await client.request({ action: 'subscribe', channel: 'address-transactions', params });
      const label = JSON.stringify(params) ?? 'no params';
      assert.equal(response.status, 'error', label);
      assert.equal(response.error?.code, 'invalid_params', label);
      assert.equal(response.channel, 'address-transactions', label);
      assert.match(response.error?.message ?? '', expected, label);
    }
    await client.close();
  });

  test('non-requests are invalid_request', async () => {
    const client = await connect(devnode);
    const garbage: (string | Buffer)[] = [
      'not json',
      '[]',
      '42',
      '"subscribe"',
      'null',
      '{}',
      '{"action":"dance","channel":"new-blocks"}',
      Buffer.from('{"action":"subscribe","channel":"new-blocks"}'),
    ];

    for (const frame of garbage) {
      const response = await client.request(frame);
      const label = frame.toString();
      assert.equal(response.status, 'error', label);
      assert.equal(response.error?.code, 'invalid_request', label);
      assert.equal(response.channel, undefined, label);
    }
    assert.equal(client.socket.readyState, client.socket.OPEN, 'the connection stays open after bad requests');
    await client.close();
  });

  test('address subscriptions add and remove', async () => {
    const client = await connect(devnode);
    const watched = async (request: object): Promise<unknown> => {
      const response = await client.request(request);
      assert.equal(response.status, 'success', JSON.stringify(response));
      return response.data?.watchedAddresses;
    };
    const channel = 'address-transactions';

    assert.equal(await watched({ action: 'subscribe', channel, params: { addresses: ['a', 'b'] } }), 2);
    assert.equal(await watched({ action: 'subscribe', channel, params: { addresses: ['b', 'c'] } }), 3);
    assert.equal(await watched({ action: 'subscribe', channel, params: { addresses: ['c'] } }), 3);
    assert.equal(await watched({ action: 'unsubscribe', channel, params: { addresses: ['a'] } }), 2);
    assert.equal(await watched({ action: 'unsubscribe', channel, params: { addresses: ['not-watched'] } }), 2);
    assert.equal(await watched({ action: 'unsubscribe', channel }), 0);
    assert.equal(await watched({ action: 'subscribe', channel, params: { addresses: ['d'] } }), 1);
    await client.close();
  });

  test('every channel delivers', async () => {
    const client = await connect(devnode);
    const address = busiestAddress(devnode);
    for (const channel of ['new-blocks', 'new-transactions', 'mempool', 'mining-info']) {
      assert.equal((await client.request({ action: 'subscribe', channel })).status, 'success');
    }
    const response = await client.request({ action: 'subscribe', channel: 'address-transactions', params: { addresses: [address] } });
    assert.equal(response.status, 'success');

    for (const channel of ['new-blocks', 'new-transactions', 'address-transactions', 'mempool', 'mining-info']) {
      await client.waitForFrame(isChannel(channel));
    }
    await client.close();
  });

  test('block 831328 matches mainnet', async () => {
    const client = await connect(devnode);
    await client.request({ action: 'subscribe', channel: 'new-blocks' });

    const index = await client.waitForFrame((text) => rawField(text, 'height') === FIRST_BLOCK.height);
    const frame = client.frame(index);
    assert.equal(rawField(frame, 'hash'), `"${FIRST_BLOCK.hash}"`);
    assert.equal(rawField(frame, 'time'), FIRST_BLOCK.time);
    assert.equal(rawField(frame, 'txCount'), FIRST_BLOCK.txCount);
    assert.equal(rawField(frame, 'size'), FIRST_BLOCK.size);
    await client.close();
  });

  test('numbers keep their exact text', async () => {
    const client = await connect(devnode);
    await client.request({ action: 'subscribe', channel: 'new-blocks' });
    await client.request({ action: 'subscribe', channel: 'mining-info' });

    const blockIndex = await client.waitForFrame((text) => isChannel('new-blocks')(text) && rawField(text, 'height') === FIRST_BLOCK.height);
    const block = client.frame(blockIndex);
    assert.ok(block.includes(`"difficulty":${FIRST_BLOCK.difficulty}`), block);

    const infoIndex = await client.waitForFrame(isChannel('mining-info'), blockIndex);
    const info = client.frame(infoIndex);
    assert.ok(info.includes(`"networkHashPs":${FIRST_BLOCK.networkHashPs}`), info);
    assert.ok(info.includes(`"difficulty":${FIRST_BLOCK.difficulty}`), info);

    // A lossless parse reads the same literals, where JSON.parse would round both.
    const parsed = parseLossless(info) as { data: Record<string, { toString(): string }> };
    assert.equal(parsed.data.networkHashPs?.toString(), FIRST_BLOCK.networkHashPs);
    assert.equal(parsed.data.difficulty?.toString(), FIRST_BLOCK.difficulty);
    await client.close();
  });

  test('mining-info follows each block', async () => {
    const client = await connect(devnode);
    await client.request({ action: 'subscribe', channel: 'new-blocks' });
    await client.request({ action: 'subscribe', channel: 'mining-info' });

    const first = await client.waitForFrame(isChannel('new-blocks'));
    await client.waitForCount(8, first);
    for (let index = first; index < first + 8; index += 2) {
      const block = client.frame(index);
      const info = client.frame(index + 1);
      assert.ok(isChannel('new-blocks')(block), block);
      assert.ok(isChannel('mining-info')(info), info);
      assert.equal(rawField(info, 'blocks'), rawField(block, 'height'));
      assert.equal(rawField(info, 'currentBlockTx'), rawField(block, 'txCount'));
      assert.match(rawField(info, 'currentBlockWeight') ?? '', /^\d+$/);
      // Every announced transaction is mined in the next block, so none is left in the pool.
      assert.equal(rawField(info, 'pooledTx'), '0');
    }
    await client.close();
  });

  test('subscribing twice delivers once and heights restart', async () => {
    const client = await connect(devnode);
    await client.request({ action: 'subscribe', channel: 'new-blocks' });
    const again = await client.request({ action: 'subscribe', channel: 'new-blocks' });
    assert.equal(again.status, 'success');

    const last = await client.waitForFrame((text) => rawField(text, 'height') === LAST_HEIGHT);
    await client.waitForCount(2, last);
    const heights = client.frames.slice(last).map((text) => rawField(text, 'height'));
    assert.equal(heights[1], FIRST_BLOCK.height, 'the block after the last one is the first again');
    for (let index = 1; index < heights.length; index++) {
      assert.notEqual(heights[index], heights[index - 1], `height ${heights[index]} delivered twice`);
    }
    await client.close();
  });

  test('mempool sends added then removed', async () => {
    const client = await connect(devnode);
    await client.request({ action: 'subscribe', channel: 'mempool' });

    const addedIndex = await client.waitForFrame((text) => rawField(text, 'action') === '"added"');
    const added = client.frame(addedIndex);
    const txid = rawField(added, 'txid');
    assert.match(rawField(added, 'fee') ?? '', /^\d+\.\d+$/);
    assert.match(rawField(added, 'size') ?? '', /^\d+$/);

    const removedIndex = await client.waitForFrame(
      (text) => rawField(text, 'action') === '"removed"' && rawField(text, 'txid') === txid,
      addedIndex,
    );
    assert.ok(removedIndex > addedIndex);
    await client.close();
  });

  test('new-transactions carry coins and vsize', async () => {
    const client = await connect(devnode);
    await client.request({ action: 'subscribe', channel: 'new-transactions' });

    const index = await client.waitForFrame((text) => text.includes('"address":null'));
    const frame = client.frame(index);
    assert.match(rawField(frame, 'txid') ?? '', /^"[0-9a-f]{64}"$/);
    assert.match(rawField(frame, 'fee') ?? '', /^\d+\.\d+$/);
    assert.match(rawField(frame, 'vsize') ?? '', /^\d+$/);
    assert.match(frame, /"inputs":\[\{"address":"csc1[^"]+","value":\d+\.\d+\}/);
    assert.match(frame, /\{"address":null,"value":\d+\.\d+\}/);
    await client.close();
  });

  test('watched address sees 0 then 1 confirmation', async () => {
    const client = await connect(devnode);
    const address = busiestAddress(devnode);
    await client.request({ action: 'subscribe', channel: 'new-blocks' });
    await client.request({ action: 'subscribe', channel: 'address-transactions', params: { addresses: [address] } });

    const unconfirmedIndex = await client.waitForFrame(
      (text) => isChannel('address-transactions')(text) && rawField(text, 'confirmations') === '0',
    );
    const unconfirmed = client.frame(unconfirmedIndex);
    const txid = rawField(unconfirmed, 'txid');
    assert.equal(rawField(unconfirmed, 'address'), `"${address}"`);
    assert.match(rawField(unconfirmed, 'type') ?? '', /^"(received|sent)"$/);
    assert.match(rawField(unconfirmed, 'amount') ?? '', /^\d+\.\d+$/);

    const confirmedIndex = await client.waitForFrame(
      (text) => rawField(text, 'txid') === txid && rawField(text, 'confirmations') === '1',
      unconfirmedIndex,
    );
    const confirmed = client.frame(confirmedIndex);
    assert.equal(rawField(confirmed, 'amount'), rawField(unconfirmed, 'amount'));
    assert.equal(rawField(confirmed, 'type'), rawField(unconfirmed, 'type'));

    // The block comes first, and a confirmed transaction carries that block's time.
    const blocksBefore = client.frames.slice(unconfirmedIndex, confirmedIndex).filter(isChannel('new-blocks'));
    const block = blocksBefore[blocksBefore.length - 1];
    assert.ok(block !== undefined, 'a new-blocks notification precedes the confirmation');
    assert.equal(rawField(confirmed, 'time'), rawField(block, 'time'));
    await client.close();
  });

  test('oversized request closes with 1009', async () => {
    const client = await connect(devnode);
    client.socket.send('x'.repeat(4 * 1024 * 1024 + 1));
    const closed = await client.closed;
    assert.equal(closed.code, 1009);
  });

  test('busy port is a connection error', async () => {
    const result = await runDevnodeToExit(['--port', String(devnode.port), '--quiet']);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, new RegExp(`port ${devnode.port} on 127\\.0\\.0\\.1 is already in use`));
    assert.match(result.stderr, /--port 0 picks a free port/);
    assert.equal(result.stdout, '');
  });
});

describe('devnode options', () => {
  test('bad values are usage errors', async () => {
    const cases: [args: string[], named: RegExp][] = [
      [['--block-interval', '-1'], /block interval -1/],
      [['--port', '70000'], /port 70000 is not/],
      [['--private', 'nope', '--token', 't'], /"nope"/],
      [['--max-addresses', '0'], /addresses 0/],
      [['--private', 'mempool'], /need a token/],
      [['--fixture', '/nonexistent/fixture.json.gz'], /\/nonexistent\/fixture\.json\.gz/],
    ];
    for (const [args, named] of cases) {
      // A second --port would turn the value into an array, so only cases without one get it.
      const result = await runDevnodeToExit(args.includes('--port') ? args : [...args, '--port', '0']);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, named, args.join(' '));
      assert.equal(result.stdout, '', args.join(' '));
    }
  });

  test('address cap is invalid_params', async () => {
    const devnode = await startDevnode(['--port', '0', '--block-interval', '0.1', '--quiet', '--max-addresses', '3']);
    const client = await connect(devnode);
    const channel = 'address-transactions';

    const first = await client.request({ action: 'subscribe', channel, params: { addresses: ['a', 'b'] } });
    assert.equal(first.data?.watchedAddresses, 2);

    const over = await client.request({ action: 'subscribe', channel, params: { addresses: ['c', 'd'] } });
    assert.equal(over.status, 'error');
    assert.equal(over.error?.code, 'invalid_params');
    assert.equal(over.channel, channel);
    assert.match(over.error?.message ?? '', /limit of 3/);

    // The rejected request added nothing, so one more address still fits.
    const fits = await client.request({ action: 'subscribe', channel, params: { addresses: ['c', 'a'] } });
    assert.equal(fits.status, 'success');
    assert.equal(fits.data?.watchedAddresses, 3);
    await client.close();
  });
});

describe('devnode with a token', () => {
  const token = 'right-token-5f2c';
  let devnode: DevnodeProcess;

  before(async () => {
    devnode = await startDevnode(['--port', '0', '--block-interval', '0.1', '--token', token]);
  });

  test('private channel needs auth', async () => {
    const client = await connect(devnode);

    const publicChannel = await client.request({ action: 'subscribe', channel: 'new-blocks' });
    assert.equal(publicChannel.status, 'success');

    const early = await client.request({ action: 'subscribe', channel: 'address-transactions', params: { addresses: [DOC_ADDRESS] } });
    assert.equal(early.status, 'error');
    assert.equal(early.error?.code, 'auth_required');
    assert.equal(early.channel, 'address-transactions');
    assert.match(early.error?.message ?? '', /'address-transactions' requires authentication/);

    const wrong = await client.request({ action: 'auth', token: 'wrong-token-9d1e' });
    assert.equal(wrong.status, 'error');
    assert.equal(wrong.error?.code, 'auth_required');
    assert.match(wrong.error?.message ?? '', /invalid/i);

    const stillLocked = await client.request({ action: 'subscribe', channel: 'address-transactions', params: { addresses: [DOC_ADDRESS] } });
    assert.equal(stillLocked.error?.code, 'auth_required');

    const right = await client.request({ action: 'auth', token });
    assert.equal(right.status, 'success');

    const unlocked = await client.request({ action: 'subscribe', channel: 'address-transactions', params: { addresses: [DOC_ADDRESS] } });
    assert.equal(unlocked.status, 'success');
    await client.close();
  });

  test('logs connections and never a token', async () => {
    const client = await connect(devnode);
    await client.request({ action: 'auth', token: 'wrong-token-9d1e' });
    await client.request({ action: 'subscribe', channel: 'mempool' });
    await client.close();

    await devnode.waitForStderr(/disconnected \(close code 1000, \d+ errors? answered\)/);
    const stderr = devnode.stderr();
    assert.match(stderr, /client #\d+: connected from 127\.0\.0\.1:\d+/);
    assert.match(stderr, /client #\d+: subscribe mempool/);
    assert.match(stderr, /client #\d+: error auth_required: Token is invalid/);
    assert.match(stderr, /auth: 1 token configured; private channels: address-transactions/);
    assert.ok(!stderr.includes(token), 'the right token is not logged');
    assert.ok(!stderr.includes('wrong-token-9d1e'), 'a wrong token is not logged');
  });
});

describe('devnode shutdown', () => {
  test('--at-end exit ends with code 0', async () => {
    const devnode = await startDevnode(['--port', '0', '--block-interval', '0.02', '--at-end', 'exit', '--quiet']);
    const client = await connect(devnode);

    // Longer than the whole replay would take, so this also shows that it waits for a subscribe.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await client.request({ action: 'subscribe', channel: 'new-blocks' });

    const closed = await client.closed;
    assert.equal(closed.code, 1001);
    const heights = client.frames.map((text) => rawField(text, 'height'));
    assert.deepEqual(heights, ['831328', '831329', '831330', '831331', '831332', '831333', '831334', '831335']);

    const exit = await devnode.exited;
    assert.equal(exit.code, 0, devnode.stderr());
  });

  test('SIGTERM ends with code 0', async () => {
    const devnode = await startDevnode(['--port', '0', '--block-interval', '0.1', '--quiet']);
    const client = await connect(devnode);
    await client.request({ action: 'subscribe', channel: 'new-transactions' });
    await client.waitForCount(1);

    devnode.child.kill('SIGTERM');
    const closed = await client.closed;
    assert.equal(closed.code, 1001);
    assert.equal(closed.reason, 'devnode shutting down');

    const exit = await devnode.exited;
    assert.equal(exit.code, 0, devnode.stderr());
    assert.match(devnode.stderr(), /received SIGTERM/);
  });

  test('slow reader is closed with 1008', async () => {
    const devnode = await startDevnode(['--port', '0', '--block-interval', '0', '--quiet', '--max-send-buffer', '1']);
    const socket = await openStalledSocket(devnode.port, '{"action":"subscribe","channel":"new-transactions"}');
    try {
      await devnode.waitForStderr(/client #1: closed with 1008 because [\d.]+ MiB of notifications were waiting/, 20_000);
    } finally {
      socket.destroy();
    }
  });
});

/**
 * Opens a WebSocket by hand, sends one request and then stops reading, so the devnode's send
 * buffer for it can only grow.
 */
async function openStalledSocket(port: number, request: string): Promise<Socket> {
  const socket = connectTcp({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.on('error', () => {});

  socket.write(
    'GET / HTTP/1.1\r\n' +
      `Host: 127.0.0.1:${port}\r\n` +
      'Upgrade: websocket\r\n' +
      'Connection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
      'Sec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise<void>((resolve) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
  });

  // A client frame must be masked (RFC 6455, section 5.3); a zero mask leaves the payload as is.
  const payload = Buffer.from(request, 'utf8');
  assert.ok(payload.length < 126, 'the short frame header holds lengths below 126');
  socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]));
  socket.pause();
  return socket;
}
