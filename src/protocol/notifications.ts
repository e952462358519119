import type { LosslessNumber } from 'lossless-json';

import type { ChannelName } from './channels.js';

/**
 * A JSON number kept as the literal text the server sent, so `12345678.90` and
 * `812345678901234567890` survive unchanged. Amounts are whole coins with up to 8 decimals.
 */
export type WireNumber = LosslessNumber;

export interface NewBlockData {
  hash: string;
  height: WireNumber;
  time: WireNumber;
  txCount: WireNumber;
  size: WireNumber;
  difficulty: WireNumber;
}

export interface TransactionEndpoint {
  /** Null where the devnode replays a script that has no address (OP_RETURN, bare multisig). */
  address: string | null;
  value: WireNumber;
}

export interface NewTransactionData {
  txid: string;
  size: WireNumber;
  fee: WireNumber;
  inputs: TransactionEndpoint[];
  outputs: TransactionEndpoint[];
}

export type AddressTransactionType = 'received' | 'sent';

export interface AddressTransactionData {
  txid: string;
  address: string;
  type: AddressTransactionType;
  amount: WireNumber;
  confirmations: WireNumber;
  time: WireNumber;
}

export type MempoolAction = 'added' | 'removed';

export interface MempoolData {
  action: MempoolAction;
  txid: string;
  size: WireNumber;
  fee: WireNumber;
}

export interface MiningInfoData {
  blocks: WireNumber;
  currentBlockWeight: WireNumber;
  currentBlockTx: WireNumber;
  difficulty: WireNumber;
  networkHashPs: WireNumber;
  pooledTx: WireNumber;
}

export interface NotificationDataByChannel {
  'new-blocks': NewBlockData;
  'new-transactions': NewTransactionData;
  'address-transactions': AddressTransactionData;
  mempool: MempoolData;
  'mining-info': MiningInfoData;
}

/** A notification as it appears on the wire. Fields the documentation does not list may be present. */
export interface Notification<C extends ChannelName = ChannelName> {
  channel: C;
  data: NotificationDataByChannel[C];
}
