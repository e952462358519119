import { coinsToUnits } from '../protocol/amounts.js';

export type TransactionState = 'pending' | 'mined' | 'evicted';

/** One transaction as it touches one watched address. Amounts are integer base units. */
export interface WatchedTransaction {
  address: string;
  txid: string;
  type: 'received' | 'sent';
  /** Positive for received, negative for sent. */
  amountUnits: bigint;
  confirmations: number;
  /** Height of the block that mined it, once known; confirmations = tip - minedHeight + 1. */
  minedHeight: number | undefined;
  state: TransactionState;
  /** The server's `time` literal, Unix seconds. */
  time: string | undefined;
}

/**
 * Kind of change: `seen` first notified, `mined` reported mined by the server, `confirmed` a new
 * block added a confirmation, `evicted` left the mempool without being mined, `reorged` its block
 * was replaced (the height went back).
 */
export type WatchChangeKind = 'seen' | 'mined' | 'confirmed' | 'evicted' | 'reorged';

export interface WatchChange {
  kind: WatchChangeKind;
  /** A copy taken when the change happened. */
  transaction: WatchedTransaction;
  /** The running net change of the address after this change, in base units. */
  netUnits: bigint;
  /** The highest block height seen, if any. */
  tipHeight: number | undefined;
}

/** Totals per watched address, in base units. */
export interface AddressTotals {
  address: string;
  netUnits: bigint;
  receivedUnits: bigint;
  sentUnits: bigint;
  transactions: number;
}

/** Fields of an address-transactions notification that the tracker reads, as sent. */
export interface AddressTransactionFields {
  txid: string;
  address: string;
  type: 'received' | 'sent';
  /** JSON number literal in whole coins. */
  amount: string;
  confirmations: number;
  time: string | undefined;
}

/**
 * A pending transaction removed from the mempool is marked evicted once this many blocks came
 * after the removal without a mined notification. Two, not one, because a node may announce the
 * removal just before the block that mines it.
 */
const EVICTION_BLOCKS = 2;

/**
 * Follows the transactions of the watched addresses: their confirmations from the server's 0 and 1
 * and then from new-blocks heights, and each address's net change, exactly in base units.
 * Evicted transactions do not count in the net change.
 */
export class WatchTracker {
  private readonly transactions = new Map<string, WatchedTransaction>();
  private readonly totals = new Map<string, AddressTotals>();
  private readonly removedAtBlock = new Map<string, number>();
  private tip: number | undefined;
  private blocksSeen = 0;

  constructor(addresses: readonly string[]) {
    for (const address of addresses) {
      this.totals.set(address, { address, netUnits: 0n, receivedUnits: 0n, sentUnits: 0n, transactions: 0 });
    }
  }

  get tipHeight(): number | undefined {
    return this.tip;
  }

  isWatched(address: string): boolean {
    return this.totals.has(address);
  }

  addressTotals(): AddressTotals[] {
    return [...this.totals.values()];
  }

  /** Returns every tracked transaction, in the order first seen. */
  allTransactions(): WatchedTransaction[] {
    return [...this.transactions.values()];
  }

  /** Applies an address-transactions notification. Throws RangeError for an amount with more than 8 decimals. */
  applyAddressTransaction(fields: AddressTransactionFields): WatchChange[] {
    const magnitude = coinsToUnits(fields.amount);
    const amountUnits = fields.type === 'sent' ? -magnitude : magnitude;
    const key = `${fields.address} ${fields.txid}`;
    const known = this.transactions.get(key);

    if (known === undefined) {
      const transaction: WatchedTransaction = {
        address: fields.address,
        txid: fields.txid,
        type: fields.type,
        amountUnits,
        confirmations: 0,
        minedHeight: undefined,
        state: 'pending',
        time: fields.time,
      };
      this.transactions.set(key, transaction);
      this.count(transaction, 1);
      if (fields.confirmations >= 1) {
        this.markMined(transaction, fields.confirmations);
        return [this.change('mined', transaction)];
      }
      return [this.change('seen', transaction)];
    }

    if (known.amountUnits !== amountUnits || known.type !== fields.type) {
      // A node should not change the amount, but if it does, the latest one counts.
      this.count(known, -1);
      known.amountUnits = amountUnits;
      known.type = fields.type;
      this.count(known, 1);
    }
    if (fields.confirmations >= 1 && known.state !== 'mined') {
      if (known.state === 'evicted') {
        this.count(known, 1);
      }
      this.markMined(known, fields.confirmations);
      return [this.change('mined', known)];
    }
    return [];
  }

  /** Applies a new block: counts confirmations up, detects a height that went back, marks evictions. */
  applyNewBlock(height: number): WatchChange[] {
    const changes: WatchChange[] = [];
    const reorg = this.tip !== undefined && height <= this.tip;
    this.tip = reorg || this.tip === undefined || height > this.tip ? height : this.tip;
    this.blocksSeen++;

    for (const transaction of this.transactions.values()) {
      if (transaction.state === 'mined') {
        if (transaction.minedHeight === undefined) {
          // Mined before the first block this run saw: the new block is one more on top.
          transaction.minedHeight = height - transaction.confirmations;
        }
        if (reorg && transaction.minedHeight >= height) {
          transaction.state = 'pending';
          transaction.confirmations = 0;
          transaction.minedHeight = undefined;
          changes.push(this.change('reorged', transaction));
          continue;
        }
        const confirmations = height - transaction.minedHeight + 1;
        if (confirmations !== transaction.confirmations) {
          transaction.confirmations = confirmations;
          changes.push(this.change('confirmed', transaction));
        }
      } else if (transaction.state === 'pending') {
        const removedAt = this.removedAtBlock.get(transaction.txid);
        if (removedAt !== undefined && this.blocksSeen - removedAt >= EVICTION_BLOCKS) {
          transaction.state = 'evicted';
          this.count(transaction, -1);
          changes.push(this.change('evicted', transaction));
        }
      }
    }
    return changes;
  }

  /** Notes a mempool `removed`; the transaction is marked evicted later unless it is reported mined. */
  applyMempoolRemoved(txid: string): void {
    if (!this.removedAtBlock.has(txid)) {
      this.removedAtBlock.set(txid, this.blocksSeen);
    }
  }

  private markMined(transaction: WatchedTransaction, serverConfirmations: number): void {
    transaction.state = 'mined';
    this.removedAtBlock.delete(transaction.txid);
    if (this.tip === undefined) {
      transaction.confirmations = serverConfirmations;
      transaction.minedHeight = undefined;
    } else {
      transaction.minedHeight = this.tip - serverConfirmations + 1;
      transaction.confirmations = serverConfirmations;
    }
  }

  /** Adds (`sign` 1) or removes (-1) a transaction from its address's totals. */
  private count(transaction: WatchedTransaction, sign: 1 | -1): void {
    const totals = this.totals.get(transaction.address);
    if (totals === undefined) {
      return; // the stage passes only watched addresses
    }
    const units = BigInt(sign) * transaction.amountUnits;
    totals.netUnits += units;
    if (transaction.amountUnits >= 0n) {
      totals.receivedUnits += units;
    } else {
      totals.sentUnits -= units;
    }
    totals.transactions += sign;
  }

  private change(kind: WatchChangeKind, transaction: WatchedTransaction): WatchChange {
    return {
      kind,
      transaction: { ...transaction },
      netUnits: this.totals.get(transaction.address)?.netUnits ?? 0n,
      tipHeight: this.tip,
    };
  }
}
