import { performance } from 'node:perf_hooks';

import type { NotificationHub } from './hub.js';
import {
  buildAddressTransactionNotification,
  buildMempoolNotification,
  buildMiningInfoNotification,
  buildNewBlockNotification,
  buildNewTransactionNotification,
} from './notification-builders.js';
import type { ReplaySink } from './replay.js';
import type { ReplayBlock, ReplayData, ReplayTransaction } from './replay-data.js';

/**
 * Turns replay events into notifications on the hub. Each notification is built only when
 * someone listens, encoded to UTF-8 once and shared by all its receivers. The frames that do not
 * depend on the replay clock are cached per transaction, so later passes reuse them.
 */
/**
 * Minimum time between two restart log lines, in ms. With --block-interval 0 a pass takes well
 * under a second, and the pass number in the next line shows how many were skipped.
 */
const RESTART_LOG_INTERVAL_MS = 10_000;

export class ReplayPublisher implements ReplaySink {
  private readonly newTransactionFrames: (Buffer | undefined)[] = [];
  private readonly addedFrames: (Buffer | undefined)[] = [];
  private readonly removedFrames: (Buffer | undefined)[] = [];
  private lastRestartLogAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly data: ReplayData,
    private readonly hub: NotificationHub,
    private readonly log: (line: string) => void,
  ) {}

  announceTransaction(_block: ReplayBlock, transaction: ReplayTransaction, replayTime: number): void {
    const { serial, source } = transaction;

    if (this.hub.hasSubscribers('new-transactions')) {
      const frame = (this.newTransactionFrames[serial] ??= encode(
        buildNewTransactionNotification(source, this.data.addresses),
      ));
      this.hub.publish('new-transactions', frame);
    }

    if (this.hub.hasSubscribers('mempool')) {
      const frame = (this.addedFrames[serial] ??= encode(buildMempoolNotification('added', source)));
      this.hub.publish('mempool', frame);
    }

    this.notifyWatchers(transaction, 0, replayTime);
  }

  /** Sends, in this order: new-blocks, mempool removed, address-transactions at 1 confirmation, mining-info. */
  mineBlock(block: ReplayBlock, pooledTransactions: number): void {
    if (this.hub.hasSubscribers('new-blocks')) {
      this.hub.publish('new-blocks', encode(buildNewBlockNotification(block.source)));
    }

    if (this.hub.hasSubscribers('mempool')) {
      for (const { serial, source } of block.transactions) {
        const frame = (this.removedFrames[serial] ??= encode(buildMempoolNotification('removed', source)));
        this.hub.publish('mempool', frame);
      }
    }

    if (this.hub.hasSubscribers('address-transactions')) {
      for (const transaction of block.transactions) {
        this.notifyWatchers(transaction, 1, block.source.time);
      }
    }

    if (this.hub.hasSubscribers('mining-info')) {
      this.hub.publish('mining-info', encode(buildMiningInfoNotification(block.source, pooledTransactions)));
    }
  }

  restart(pass: number): void {
    const now = performance.now();
    if (now - this.lastRestartLogAt < RESTART_LOG_INTERVAL_MS) {
      return;
    }
    this.lastRestartLogAt = now;
    const first = this.data.blocks[0]?.source.height;
    this.log(`replay pass ${pass} starts again from block ${first}; clients see the height go back, as in a reorg`);
  }

  end(): void {
    this.log(`replay finished at block ${this.data.summary.lastHeight}`);
  }

  /** Sends address-transactions for each watched address the transaction touches. */
  private notifyWatchers(transaction: ReplayTransaction, confirmations: number, time: number): void {
    for (const { address, netUnits } of transaction.touched) {
      const watchers = this.hub.watchersOf(address);
      if (watchers === undefined) {
        continue;
      }
      const frame = encode(
        buildAddressTransactionNotification(transaction.source.txid, address, netUnits, confirmations, time),
      );
      for (const connection of watchers) {
        connection.send(frame);
      }
    }
  }
}

/** ws would otherwise encode a string to UTF-8 again for every connection it is sent to. */
function encode(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}
