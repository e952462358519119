// Builders that turn fixture values into notification frames. Numbers go through wireNumber, so
// amounts, difficulty and networkHashPs appear on the wire exactly as the text given here.

import { unitsToCoins } from '../protocol/amounts.js';
import { stringifyLossless, wireNumber } from '../protocol/json-text.js';
import type {
  MempoolAction,
  NewTransactionData,
  Notification,
  TransactionEndpoint,
  WireNumber,
} from '../protocol/notifications.js';
import type { FixtureBlock, FixtureTransaction } from './fixture.js';

/** Satoshis as whole coins with at least one decimal, as the documentation writes them (`100.0`, `0.0001`). */
function coins(satoshis: number): WireNumber {
  return wireNumber(unitsToCoins(BigInt(satoshis), 1));
}

function integer(value: number): WireNumber {
  return wireNumber(String(value));
}

export function buildNewBlockNotification(block: FixtureBlock): string {
  const notification: Notification<'new-blocks'> = {
    channel: 'new-blocks',
    data: {
      hash: block.hash,
      height: integer(block.height),
      time: integer(block.time),
      txCount: integer(block.txCount),
      size: integer(block.size),
      difficulty: wireNumber(block.difficulty),
    },
  };
  return stringifyLossless(notification);
}

/** Builds new-transactions; `vsize` is an extra field the documentation does not list. */
export function buildNewTransactionNotification(transaction: FixtureTransaction, addresses: readonly string[]): string {
  const endpoint = ([addressIndex, value]: [number, number]): TransactionEndpoint => ({
    address: addressIndex === -1 ? null : (addresses[addressIndex] ?? null),
    value: coins(value),
  });

  const notification: { channel: 'new-transactions'; data: NewTransactionData & { vsize: WireNumber } } = {
    channel: 'new-transactions',
    data: {
      txid: transaction.txid,
      size: integer(transaction.size),
      fee: coins(transaction.fee),
      inputs: transaction.inputs.map(endpoint),
      outputs: transaction.outputs.map(endpoint),
      vsize: integer(transaction.vsize),
    },
  };
  return stringifyLossless(notification);
}

export function buildMempoolNotification(action: MempoolAction, transaction: FixtureTransaction): string {
  const notification: Notification<'mempool'> = {
    channel: 'mempool',
    data: {
      action,
      txid: transaction.txid,
      size: integer(transaction.size),
      fee: coins(transaction.fee),
    },
  };
  return stringifyLossless(notification);
}

/**
 * Builds address-transactions for one address of one transaction. `netUnits` is received minus
 * spent in satoshis; a negative net is a `sent` of its absolute value. `time` is in unix seconds.
 */
export function buildAddressTransactionNotification(
  txid: string,
  address: string,
  netUnits: number,
  confirmations: number,
  time: number,
): string {
  const notification: Notification<'address-transactions'> = {
    channel: 'address-transactions',
    data: {
      txid,
      address,
      type: netUnits >= 0 ? 'received' : 'sent',
      amount: coins(Math.abs(netUnits)),
      confirmations: integer(confirmations),
      time: integer(time),
    },
  };
  return stringifyLossless(notification);
}

/** Builds mining-info as of the block just mined; `pooledTx` counts announced, not yet mined transactions. */
export function buildMiningInfoNotification(block: FixtureBlock, pooledTx: number): string {
  const notification: Notification<'mining-info'> = {
    channel: 'mining-info',
    data: {
      blocks: integer(block.height),
      currentBlockWeight: integer(block.weight),
      currentBlockTx: integer(block.txCount),
      difficulty: wireNumber(block.difficulty),
      networkHashPs: wireNumber(block.networkHashPs),
      pooledTx: integer(pooledTx),
    },
  };
  return stringifyLossless(notification);
}
