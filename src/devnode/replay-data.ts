import type { FixtureBlock, FixtureTransaction, ReplayFixture } from './fixture.js';

/** The net effect of one transaction on one address. */
export interface AddressDelta {
  address: string;
  /** Received minus spent, in satoshis: negative when the address paid out more than it got back. */
  netUnits: number;
}

export interface ReplayTransaction {
  /** Position across all blocks of the fixture, from 0; keys the frame caches. */
  serial: number;
  source: FixtureTransaction;
  /** Addresses the transaction touches, in the order they first appear (inputs, then outputs). */
  touched: AddressDelta[];
}

export interface ReplayBlock {
  source: FixtureBlock;
  /** The block's replayed (non-coinbase, fully priced) transactions, in block order. */
  transactions: ReplayTransaction[];
}

export interface ReplaySummary {
  /** The fixture's own description of its source data. */
  source: string;
  blocks: number;
  firstHeight: number;
  lastHeight: number;
  /** Transactions announced in one pass over the fixture. */
  transactions: number;
}

export interface BusyAddress {
  address: string;
  /** Replayed transactions that spend from or pay to the address. */
  transactions: number;
}

/** A fixture prepared for replay: per-transaction address deltas and per-address counts. */
export interface ReplayData {
  addresses: readonly string[];
  blocks: ReplayBlock[];
  summary: ReplaySummary;
  /** Every touched address, busiest first; ties in address order, so the list is stable. */
  addressesByActivity: BusyAddress[];
}

/** Computes what the replay needs once, so that announcing a transaction is only lookups. */
export function prepareReplayData(fixture: ReplayFixture): ReplayData {
  const transactionCounts = new Map<number, number>();
  let serial = 0;

  const blocks = fixture.blocks.map((block): ReplayBlock => {
    const transactions = block.transactions.map((source): ReplayTransaction => {
      const netByAddress = sumNetUnitsByAddress(source);
      for (const addressIndex of netByAddress.keys()) {
        transactionCounts.set(addressIndex, (transactionCounts.get(addressIndex) ?? 0) + 1);
      }
      const touched = [...netByAddress].map(([addressIndex, netUnits]) => ({
        address: addressAt(fixture, addressIndex),
        netUnits,
      }));
      return { serial: serial++, source, touched };
    });
    return { source: block, transactions };
  });

  const addressesByActivity = [...transactionCounts]
    .map(([addressIndex, transactions]) => ({ address: addressAt(fixture, addressIndex), transactions }))
    .sort(compareByActivity);

  const first = fixture.blocks[0];
  const last = fixture.blocks[fixture.blocks.length - 1];
  if (first === undefined || last === undefined) {
    throw new Error('replay fixture has no blocks');
  }

  return {
    addresses: fixture.addresses,
    blocks,
    summary: {
      source: fixture.source,
      blocks: fixture.blocks.length,
      firstHeight: first.height,
      lastHeight: last.height,
      transactions: serial,
    },
    addressesByActivity,
  };
}

/** Orders busiest first, and equally busy addresses by their text. */
function compareByActivity(a: BusyAddress, b: BusyAddress): number {
  if (a.transactions !== b.transactions) {
    return b.transactions - a.transactions;
  }
  if (a.address === b.address) {
    return 0;
  }
  return a.address < b.address ? -1 : 1;
}

/**
 * Sums received minus spent per address index. Satoshi sums stay exact in a double, because all
 * bitcoin ever issued is below 2.1e15 satoshis, under 2^53.
 */
function sumNetUnitsByAddress(transaction: FixtureTransaction): Map<number, number> {
  const net = new Map<number, number>();
  for (const [addressIndex, value] of transaction.inputs) {
    if (addressIndex !== -1) {
      net.set(addressIndex, (net.get(addressIndex) ?? 0) - value);
    }
  }
  for (const [addressIndex, value] of transaction.outputs) {
    if (addressIndex !== -1) {
      net.set(addressIndex, (net.get(addressIndex) ?? 0) + value);
    }
  }
  return net;
}

function addressAt(fixture: ReplayFixture, index: number): string {
  const address = fixture.addresses[index];
  if (address === undefined) {
    throw new Error(`replay fixture refers to address index ${index}, outside its ${fixture.addresses.length} addresses`);
  }
  return address;
}
