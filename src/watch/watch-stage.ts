import { writeDiagnostic } from '../output/diagnostics.js';
import { WarningLimiter } from '../output/warning-limiter.js';
import { unitsToCoins } from '../protocol/amounts.js';
import type { NotificationFrame } from '../protocol/frames.js';
import { isWireNumber } from '../protocol/json-text.js';
import { isRecord } from '../stream/field-path.js';
import type { NotificationStage, StageVerdict } from '../stream/notification-stage.js';
import { parsedNotification } from '../stream/parsed-notification.js';
import type { AddressTransactionFields, WatchChange, WatchTracker } from './watch-tracker.js';

/** The condition of --until-confirmed: a received transaction of at least `minUnits` with `confirmations` or more. */
export interface WatchGoal {
  confirmations: number;
  minUnits: bigint;
}

/**
 * Feeds each notification of a watch into the tracker and keeps the changes it produced for the
 * sink, which takes them in `deliver`. Skips a notification that changed nothing, and ends the run
 * once a change meets the goal.
 */
export class WatchStage implements NotificationStage {
  private pending: WatchChange[] = [];
  private readonly malformed = new WarningLimiter('malformed notifications');
  private readonly unwatched = new WarningLimiter('notifications for addresses not watched');

  constructor(
    private readonly tracker: WatchTracker,
    private readonly goal: WatchGoal | undefined,
  ) {}

  /** Returns the changes of the notification just inspected and clears them. */
  takeChanges(): WatchChange[] {
    const changes = this.pending;
    this.pending = [];
    return changes;
  }

  inspect(frame: NotificationFrame): StageVerdict {
    const notification = parsedNotification(frame);
    const data = isRecord(notification) && isRecord(notification.data) ? notification.data : {};
    this.pending = this.apply(frame.channel, data);
    if (this.pending.length === 0) {
      return 'skip';
    }
    const reached = this.pending.find((change) => this.meetsGoal(change));
    if (reached !== undefined) {
      const { transaction } = reached;
      writeDiagnostic(
        `watch: ${transaction.txid} paid ${unitsToCoins(transaction.amountUnits)} to ${transaction.address} and has ${transaction.confirmations} confirmation${transaction.confirmations === 1 ? '' : 's'}`,
      );
      return 'deliver-and-stop';
    }
    return 'deliver';
  }

  private apply(channel: string, data: Record<string, unknown>): WatchChange[] {
    switch (channel) {
      case 'new-blocks': {
        const height = wholeNumber(data.height);
        if (height === undefined) {
          this.malformed.warn('skipped a new-blocks notification without a whole-number height');
          return [];
        }
        return this.tracker.applyNewBlock(height);
      }
      case 'address-transactions': {
        const fields = addressTransactionFields(data);
        if (typeof fields === 'string') {
          this.malformed.warn(`skipped an address-transactions notification: ${fields}`);
          return [];
        }
        if (!this.tracker.isWatched(fields.address)) {
          this.unwatched.warn(`ignoring address-transactions for ${fields.address}, which is not watched`);
          return [];
        }
        try {
          return this.tracker.applyAddressTransaction(fields);
        } catch (error) {
          this.malformed.warn(`skipped an address-transactions notification for ${fields.txid}: ${(error as Error).message}`);
          return [];
        }
      }
      case 'mempool':
        if (data.action === 'removed' && typeof data.txid === 'string') {
          this.tracker.applyMempoolRemoved(data.txid);
        }
        return [];
      default:
        return [];
    }
  }

  private meetsGoal(change: WatchChange): boolean {
    const { goal } = this;
    const { transaction } = change;
    if (goal === undefined || transaction.type !== 'received' || transaction.state === 'evicted') {
      return false;
    }
    return transaction.amountUnits >= goal.minUnits && transaction.confirmations >= goal.confirmations;
  }
}

/** Reads the fields the tracker needs, or returns what is wrong with them. */
function addressTransactionFields(data: Record<string, unknown>): AddressTransactionFields | string {
  const { txid, address, type, amount } = data;
  if (typeof txid !== 'string' || typeof address !== 'string') {
    return 'txid or address is not a string';
  }
  if (type !== 'received' && type !== 'sent') {
    return `type ${JSON.stringify(type)} is neither received nor sent`;
  }
  if (!isWireNumber(amount)) {
    return 'amount is not a number';
  }
  const confirmations = wholeNumber(data.confirmations);
  if (confirmations === undefined) {
    return 'confirmations is not a whole number';
  }
  return { txid, address, type, amount: amount.toString(), confirmations, time: isWireNumber(data.time) ? data.time.toString() : undefined };
}

function wholeNumber(value: unknown): number | undefined {
  if (!isWireNumber(value)) {
    return undefined;
  }
  const number = Number(value.toString());
  return Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}
