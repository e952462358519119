import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import WebSocket from 'ws';

import { lines, runCli } from './helpers/cli.js';
import { startDevnodeProcess, type DevnodeProcess } from './helpers/devnode-process.js';

const MEMPOOL_LIMIT = 20;
const REQUEST_LIMIT = 5;

let devnode: DevnodeProcess;

interface RawClient {
  socket: WebSocket;
  frames: string[];
  closed: Promise<{ code: number; reason: string }>;
}

async function connectRaw(url: string): Promise<RawClient> {
  const socket = new WebSocket(url);
  const frames: string[] = [];
  socket.on('message', (data) => frames.push(data.toString()));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, frames, closed };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await delay(50);
  }
}

before(async () => {
  devnode = await startDevnodeProcess([
    '--port', '0', '--block-interval', '0.3',
    '--mempool-limit', String(MEMPOOL_LIMIT), '--request-limit', String(REQUEST_LIMIT),
  ]);
  await devnode.waitForStderr(/at most 20 mempool notifications a minute and 5 requests in 10 s/);
});

after(() => {
  devnode.kill();
});

describe('mempool limit', () => {
  test('drops the excess with one error', async () => {
    const client = await connectRaw(devnode.url);
    try {
      client.socket.send(JSON.stringify({ action: 'subscribe', channel: 'mempool' }));
      const isLimitError = (frame: string): boolean => frame.includes('"rate_limit_exceeded"');
      await waitUntil(() => client.frames.some(isLimitError), 20_000, 'a rate_limit_exceeded error');
      // The replay keeps announcing transactions; nothing more may arrive within the minute.
      await delay(2000);

      const notifications = client.frames.filter((frame) => frame.startsWith('{"channel":"mempool"'));
      const errors = client.frames.filter(isLimitError);
      assert.equal(notifications.length, MEMPOOL_LIMIT);
      assert.equal(errors.length, 1);
      const error = JSON.parse(errors[0] as string) as { status: string; channel: string; error: { message: string } };
      assert.equal(error.status, 'error');
      assert.equal(error.channel, 'mempool');
      assert.match(error.error.message, /More than 20 mempool notifications in a minute/);
      await devnode.waitForStderr(/over 20 mempool notifications a minute; dropping the excess/);
    } finally {
      client.socket.terminate();
    }
  });

  test('client warns naming the channel', async () => {
    const result = await runCli(['subscribe', 'mempool', '--url', devnode.url, '--timeout', '4', '--output', 'jsonl']);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(lines(result.stdout).length, MEMPOOL_LIMIT);
    const warnings = result.stderr.match(/warning: the server is rate-limiting channel mempool/g) ?? [];
    assert.equal(warnings.length, 1, result.stderr);
    assert.match(result.stderr, /rate_limit_exceeded: More than 20 mempool notifications/);
  });
});

describe('request flood', () => {
  test('rejects, then closes with 1008', async () => {
    const client = await connectRaw(devnode.url);
    const request = JSON.stringify({ action: 'subscribe', channel: 'mining-info' });
    for (let index = 0; index < 3 * REQUEST_LIMIT; index++) {
      client.socket.send(request);
    }
    const closed = await client.closed;

    const statuses = client.frames
      .filter((frame) => frame.startsWith('{"status"'))
      .map((frame) => {
        const response = JSON.parse(frame) as { status: string; error?: { code: string } };
        return response.error?.code ?? response.status;
      });
    assert.deepEqual(statuses, [
      ...Array<string>(REQUEST_LIMIT).fill('success'),
      ...Array<string>(REQUEST_LIMIT).fill('rate_limit_exceeded'),
    ]);
    assert.equal(closed.code, 1008);
    assert.equal(closed.reason, 'request flood');
    await devnode.waitForStderr(/closed with 1008: more than 10 requests in 10 s/);
  });

  test('client exits 6 when its subscribe is rate-limited', async () => {
    const strict = await startDevnodeProcess(['--port', '0', '--quiet', '--request-limit', '2']);
    try {
      // Without --no-reconnect the run would wait and try again, as it does for a rate limit.
      const result = await runCli(['subscribe', 'new-blocks', 'mining-info', 'mempool', '--url', strict.url, '--count', '1', '--no-reconnect']);

      assert.equal(result.code, 6, result.stderr);
      assert.match(result.stderr, /error: the server rate-limited the subscribe of mempool \(rate_limit_exceeded: More than 2 requests in 10 s/);
    } finally {
      strict.kill();
    }
  });
});
