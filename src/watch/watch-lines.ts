import { EventEmitter } from 'node:events';

import type { NotificationSink, RunStatus } from '../output/notification-sink.js';
import type { LineWriter } from '../output/line-writer.js';
import { unitsToCoins } from '../protocol/amounts.js';
import type { WatchChange } from './watch-tracker.js';
import type { WatchStage } from './watch-stage.js';

/**
 * Formats one change as a JSON line. Amounts and the net change are exact decimal strings in whole
 * coins (`"-0.1"`, `"0.3"`), so that no reader parses them into floating point.
 */
export function formatWatchChange(change: WatchChange): string {
  const { transaction } = change;
  return JSON.stringify({
    change: change.kind,
    address: transaction.address,
    txid: transaction.txid,
    type: transaction.type,
    amount: unitsToCoins(transaction.amountUnits),
    confirmations: transaction.confirmations,
    state: transaction.state,
    minedHeight: transaction.minedHeight ?? null,
    tipHeight: change.tipHeight ?? null,
    netChange: unitsToCoins(change.netUnits),
    time: transaction.time === undefined ? null : Number(transaction.time),
  });
}

/** The piped output of `cscws watch`: one JSON line for each change the stage produced. */
export class WatchLineSink extends EventEmitter implements NotificationSink {
  constructor(
    private readonly writer: LineWriter,
    private readonly stage: WatchStage,
  ) {
    super();
    writer.on('drain', () => this.emit('drain'));
    writer.on('closed', () => this.emit('closed'));
  }

  get ready(): boolean {
    return this.writer.ready;
  }

  deliver(): void {
    for (const change of this.stage.takeChanges()) {
      this.writer.writeLine(formatWatchChange(change));
    }
  }

  status(_status: RunStatus): void {}

  async end(): Promise<void> {
    await this.writer.end();
  }
}
