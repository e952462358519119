import { performance } from 'node:perf_hooks';

import type { AtEnd } from './options.js';
import type { ReplayBlock, ReplayData, ReplayTransaction } from './replay-data.js';

/** Receiver of replay events: the replay publisher, or a test double. */
export interface ReplaySink {
  /** A transaction enters the mempool; `replayTime` is the replay clock in unix seconds. */
  announceTransaction(block: ReplayBlock, transaction: ReplayTransaction, replayTime: number): void;
  /** The block is mined; `pooledTransactions` are announced and still unmined afterwards. */
  mineBlock(block: ReplayBlock, pooledTransactions: number): void;
  /** The replay starts again from the first block; `pass` counts from 1 for the first pass. */
  restart(pass: number): void;
  /** The last block was mined and atEnd is 'stop' or 'exit': no more events follow. */
  end(): void;
}

export interface ReplayTiming {
  blockIntervalSeconds: number;
  atEnd: AtEnd;
}

/**
 * Shortest wait between two timer callbacks, in ms. Events due within it are sent together, so a
 * block of 3,000 transactions over 10 s needs about 1,000 timers, not 3,000.
 */
const MIN_TICK_MS = 10;

/**
 * Events handled per callback before yielding to the event loop, so that requests and closes are
 * still served while the replay catches up or runs with a zero interval.
 */
const MAX_EVENTS_PER_TICK = 500;

/**
 * Replays the fixture's blocks one interval apart. Block k of a pass is mined at
 * passStart + (k + 1) × interval. Its n transactions are announced before it, transaction i at
 * the fraction (i + 1) / (n + 1) of the interval. Times are absolute, so a late timer catches up
 * instead of shifting everything after it. With a zero interval, events follow each other as fast
 * as the event loop allows.
 */
export class ReplaySchedule {
  private readonly intervalMs: number;
  private timeout: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;
  private finished = false;

  private pass = 1;
  private passStart = 0;
  private blockIndex = 0;
  /** Next transaction of the current block to announce; equal to its count once all are out. */
  private transactionIndex = 0;
  private pooledTransactions = 0;

  /** Resolves after sink.end(): never when atEnd is 'restart'. */
  readonly ended: Promise<void>;
  private resolveEnded: () => void = () => {};

  constructor(
    private readonly data: ReplayData,
    private readonly timing: ReplayTiming,
    private readonly sink: ReplaySink,
  ) {
    this.intervalMs = timing.blockIntervalSeconds * 1000;
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  get started(): boolean {
    return this.running || this.finished;
  }

  /** Starts the first pass now; later calls do nothing. */
  start(): void {
    if (this.started) {
      return;
    }
    this.running = true;
    this.passStart = performance.now();
    this.scheduleNext(0);
  }

  /** Stops for good: no event is sent after this returns. */
  stop(): void {
    this.running = false;
    this.clearTimer();
  }

  private tick(): void {
    this.timeout = undefined;
    this.immediate = undefined;
    const now = performance.now();

    for (let handled = 0; handled < MAX_EVENTS_PER_TICK; handled++) {
      if (!this.running) {
        return;
      }
      const due = this.nextEventDue();
      if (due > now) {
        this.scheduleNext(Math.max(MIN_TICK_MS, due - now));
        return;
      }
      this.runNextEvent();
    }

    if (this.running) {
      this.scheduleNext(0);
    }
  }

  /** Returns when the next event is due, in performance.now() milliseconds. */
  private nextEventDue(): number {
    if (this.intervalMs === 0) {
      return Number.NEGATIVE_INFINITY;
    }
    const block = this.currentBlock();
    const blockStart = this.passStart + this.blockIndex * this.intervalMs;
    const count = block.transactions.length;
    if (this.transactionIndex < count) {
      return blockStart + (this.intervalMs * (this.transactionIndex + 1)) / (count + 1);
    }
    return blockStart + this.intervalMs;
  }

  private runNextEvent(): void {
    const block = this.currentBlock();
    const count = block.transactions.length;

    if (this.transactionIndex < count) {
      const transaction = block.transactions[this.transactionIndex] as ReplayTransaction;
      const fraction = (this.transactionIndex + 1) / (count + 1);
      this.transactionIndex++;
      this.pooledTransactions++;
      this.sink.announceTransaction(block, transaction, this.replayTime(block, fraction));
      return;
    }

    this.pooledTransactions -= count;
    this.sink.mineBlock(block, this.pooledTransactions);
    this.blockIndex++;
    this.transactionIndex = 0;

    if (this.blockIndex < this.data.blocks.length) {
      return;
    }
    if (this.timing.atEnd === 'restart') {
      // The first block of the next pass is mined one interval after the last one.
      this.passStart += this.data.blocks.length * this.intervalMs;
      this.blockIndex = 0;
      this.pooledTransactions = 0;
      this.pass++;
      this.sink.restart(this.pass);
      return;
    }

    this.running = false;
    this.finished = true;
    this.sink.end();
    this.resolveEnded();
  }

  /**
   * Returns the replay clock for a transaction announced at `fraction` of the interval before
   * `block`: the previous block's time plus that fraction of the gap to this block's time, floored.
   * The first block of a pass has no predecessor in the replay, so its own time is used.
   */
  private replayTime(block: ReplayBlock, fraction: number): number {
    const previous = this.blockIndex === 0 ? undefined : this.data.blocks[this.blockIndex - 1];
    if (previous === undefined) {
      return block.source.time;
    }
    const gap = block.source.time - previous.source.time;
    return previous.source.time + Math.floor(fraction * gap);
  }

  private currentBlock(): ReplayBlock {
    const block = this.data.blocks[this.blockIndex];
    if (block === undefined) {
      throw new Error(`replay block index ${this.blockIndex} is outside the fixture's ${this.data.blocks.length} blocks`);
    }
    return block;
  }

  private scheduleNext(delayMs: number): void {
    this.clearTimer();
    if (delayMs === 0) {
      this.immediate = setImmediate(() => this.tick());
    } else {
      this.timeout = setTimeout(() => this.tick(), delayMs);
    }
  }

  private clearTimer(): void {
    if (this.timeout !== undefined) {
      clearTimeout(this.timeout);
      this.timeout = undefined;
    }
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
  }
}
