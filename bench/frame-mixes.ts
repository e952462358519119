// Notification frames for the load server, taken from the replay fixture so that sizes and field
// shapes are those of real mainnet traffic.

import { loadReplayFixture, type ReplayFixture } from '../src/devnode/fixture.js';
import {
  buildAddressTransactionNotification,
  buildMempoolNotification,
  buildNewTransactionNotification,
} from '../src/devnode/notification-builders.js';

export type MixName = 'small' | 'realistic' | 'address';

/** The channel a client must subscribe to for each mix. */
export const MIX_CHANNELS: Record<MixName, string> = {
  small: 'mempool',
  realistic: 'new-transactions',
  address: 'address-transactions',
};

let fixture: ReplayFixture | undefined;

function replayFixture(): ReplayFixture {
  fixture ??= loadReplayFixture();
  return fixture;
}

function fixtureTransactions(): ReplayFixture['blocks'][number]['transactions'] {
  return replayFixture().blocks.flatMap((block) => block.transactions);
}

/** Mempool `added`, about 150 bytes each: one per fixture transaction, in block order. */
export function buildSmallMix(): string[] {
  return fixtureTransactions().map((transaction) => buildMempoolNotification('added', transaction));
}

/**
 * New-transactions for every fixture transaction in block order. Sizes follow the fixture:
 * median about 370 bytes, mean about 550, 1 in 100 above 2.5 KB, the largest about 97 KB.
 */
export function buildRealisticMix(): string[] {
  const { addresses } = replayFixture();
  return fixtureTransactions().map((transaction) => buildNewTransactionNotification(transaction, addresses));
}

/**
 * Address-transactions spread round-robin over `watched`, at least `minimum` frames, so that a
 * client watching 10,000 addresses receives each of them and one watching 1 only that one.
 */
export function buildAddressMix(watched: readonly string[], minimum = 5_000): string[] {
  if (watched.length === 0) {
    throw new Error('address mix needs at least one watched address; subscribe with params.addresses');
  }
  const transactions = fixtureTransactions();
  const count = Math.max(minimum, watched.length);
  const frames: string[] = [];
  for (let index = 0; index < count; index++) {
    const transaction = transactions[index % transactions.length];
    const address = watched[index % watched.length];
    if (transaction === undefined || address === undefined) {
      throw new Error(`address mix: no transaction or address at index ${index}`);
    }
    frames.push(buildAddressTransactionNotification(transaction.txid, address, transaction.fee - 50_000, index % 2, 1_708_475_256));
  }
  return frames;
}

/** The first `count` distinct addresses of the fixture, all with valid `csc` checksums. */
export function fixtureAddresses(count: number): string[] {
  const { addresses } = replayFixture();
  if (count > addresses.length) {
    throw new Error(`the fixture has ${addresses.length} addresses, fewer than the ${count} requested`);
  }
  return addresses.slice(0, count);
}
