// The benchmark's load server, run as a forked child process so that its CPU time is not the
// harness's. It speaks just enough of the node's protocol: each subscribe or unsubscribe gets a
// success response with its channel. After the last subscribe of a connection it streams `count`
// notifications as fast as the client reads them, then closes with 1000.
//
// The URL's query selects the stream: `mix` (small, realistic, address), `count`, and
// `milestones` (comma-separated counts at which the server waits until the client has read
// everything, so that the harness can sample the client's memory).
//
// Messages to the parent (IPC): listening {port}, started {at}, milestone {sent},
// finished {sent, payloadBytes, startedAt, finishedAt, clientClosed}. From the parent: continue.

import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

import { WebSocketServer, type WebSocket } from 'ws';

import { buildFrameChunks, FrameCursor, type FrameChunk } from './frame-chunks.js';
import { buildAddressMix, buildRealisticMix, buildSmallMix, type MixName } from './frame-mixes.js';

export type ServerMessage =
  | { type: 'listening'; port: number }
  | { type: 'started'; at: number }
  | { type: 'milestone'; sent: number }
  | { type: 'finished'; sent: number; payloadBytes: number; startedAt: number; finishedAt: number; clientClosed: boolean };

interface StreamPlan {
  mix: MixName;
  count: number;
  milestones: number[];
}

/** Quiet time after a subscribe before streaming starts, so that a client that subscribes in several requests has sent them all. */
const SUBSCRIBE_SETTLE_MS = 50;

const chunkCache = new Map<MixName, FrameChunk[]>();

function send(message: ServerMessage): void {
  process.send?.(message);
}

/** Absolute time in milliseconds since the Unix epoch, comparable between processes on one machine. */
function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

function parsePlan(requestUrl: string | undefined): StreamPlan {
  const url = new URL(requestUrl ?? '/', 'ws://127.0.0.1');
  const mix = url.searchParams.get('mix') ?? 'small';
  if (mix !== 'small' && mix !== 'realistic' && mix !== 'address') {
    throw new Error(`unknown mix "${mix}"; expected small, realistic or address`);
  }
  const count = Number(url.searchParams.get('count') ?? '1000');
  const milestones = (url.searchParams.get('milestones') ?? '')
    .split(',')
    .filter((text) => text !== '')
    .map(Number)
    .filter((value) => value > 0 && value <= count);
  return { mix, count, milestones };
}

function chunksFor(mix: MixName, addresses: string[]): FrameChunk[] {
  if (mix === 'address') {
    return buildFrameChunks(buildAddressMix(addresses));
  }
  let chunks = chunkCache.get(mix);
  if (chunks === undefined) {
    chunks = buildFrameChunks(mix === 'small' ? buildSmallMix() : buildRealisticMix());
    chunkCache.set(mix, chunks);
  }
  return chunks;
}

/** Resolves on the first of `events` from `emitter`, then removes its listeners, so that waiting in a loop adds none. */
function firstOf(emitter: NodeJS.EventEmitter, events: string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      for (const event of events) emitter.off(event, done);
      resolve();
    };
    for (const event of events) emitter.on(event, done);
  });
}

function waitForParentContinue(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown): void => {
      if ((message as { type?: string }).type === 'continue') {
        process.off('message', onMessage);
        resolve();
      }
    };
    process.on('message', onMessage);
  });
}

/**
 * Streams the plan's frames. Pre-encoded frames are written to the TCP socket under the
 * WebSocket in chunks of about 256 KiB, and every write that the socket reports as over its
 * buffer limit waits for `drain`. So the server costs little CPU per message, memory stays
 * bounded, and the client's reading speed sets the pace.
 */
async function streamFrames(ws: WebSocket, plan: StreamPlan, addresses: string[]): Promise<void> {
  // ws keeps the net.Socket private. Writing whole frames to it is safe because permessage-deflate
  // is off, so ws's sender queues nothing of its own between these writes and its ping and close.
  const socket = (ws as unknown as { _socket: Socket })._socket;
  const cursor = new FrameCursor(chunksFor(plan.mix, addresses));
  let clientClosed = false;
  ws.once('close', () => {
    clientClosed = true;
  });

  let sent = 0;
  let payloadBytes = 0;
  const startedAt = epochNow();
  send({ type: 'started', at: startedAt });

  const targets = [...new Set([...plan.milestones, plan.count])].sort((a, b) => a - b);
  for (const target of targets) {
    while (sent < target && !clientClosed) {
      const slice = cursor.next(target - sent);
      sent += slice.frames;
      payloadBytes += slice.payloadBytes;
      if (!socket.write(slice.data)) {
        await firstOf(socket, ['drain', 'close']);
      }
    }
    if (plan.milestones.includes(target) && !clientClosed) {
      // A pong proves that the client has parsed every frame sent before the ping.
      ws.ping();
      await firstOf(ws, ['pong', 'close']);
      if (clientClosed) {
        break;
      }
      send({ type: 'milestone', sent });
      await waitForParentContinue();
    }
  }

  send({ type: 'finished', sent, payloadBytes, startedAt, finishedAt: epochNow(), clientClosed });
  if (!clientClosed) {
    ws.close(1000, 'all notifications sent');
  }
}

function serveConnection(ws: WebSocket, plan: StreamPlan): void {
  const addresses: string[] = [];
  let settleTimer: NodeJS.Timeout | undefined;
  let streaming = false;

  ws.on('message', (data) => {
    let request: { action?: unknown; channel?: unknown; params?: { addresses?: unknown } };
    try {
      request = JSON.parse(String(data)) as typeof request;
    } catch {
      ws.send(JSON.stringify({ status: 'error', error: { code: 'invalid_params', message: 'request is not JSON' } }));
      return;
    }
    ws.send(JSON.stringify({ status: 'success', channel: request.channel, data: {} }));
    if (request.action !== 'subscribe' || streaming) {
      return;
    }
    if (Array.isArray(request.params?.addresses)) {
      addresses.push(...request.params.addresses.filter((value): value is string => typeof value === 'string'));
    }
    clearTimeout(settleTimer);
    settleTimer = setTimeout(() => {
      streaming = true;
      streamFrames(ws, plan, addresses).catch((error: unknown) => {
        process.stderr.write(`load server: streaming failed: ${String(error)}\n`);
        ws.terminate();
      });
    }, SUBSCRIBE_SETTLE_MS);
  });
  ws.on('error', () => {});
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('connection', (ws, request) => {
  let plan: StreamPlan;
  try {
    plan = parsePlan(request.url);
  } catch (error) {
    ws.close(1008, String(error).slice(0, 100));
    return;
  }
  serveConnection(ws, plan);
});
server.on('listening', () => {
  // Build the fixed mixes before the first client, so that no run pays for them.
  chunksFor('small', []);
  chunksFor('realistic', []);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  send({ type: 'listening', port });
  if (process.send === undefined) {
    // Started by hand, for profiling a client: print where to connect.
    process.stdout.write(`ws://127.0.0.1:${port}/?mix=realistic&count=500000\n`);
  }
});
process.on('disconnect', () => process.exit(0));
