import { isWireNumber } from '../../protocol/json-text.js';
import { feeRate, groupThousands, groupedNumber, literal, MISSING, safeString, unixSeconds } from './cell-format.js';
import { totalValue } from './output-total.js';

/** The colour of a cell: `good` (received, added) green, `bad` (sent, removed) red. */
export type Tone = 'good' | 'bad';

/** One column of a channel's panel. */
export interface Column {
  key: string;
  header: string;
  align: 'left' | 'right';
  /** The column dropped first on a narrow terminal has the highest number; 0 is never dropped. */
  dropOrder: number;
  /** Hashes and addresses lose their middle down to `minWidth`; other columns are never cut while a column can be dropped. */
  shrink: 'middle' | 'none';
  minWidth: number;
  /** Widest the column grows; hashes are shown short, the full value is in JSON lines. */
  maxWidth: number;
  /** Amounts: decimal points line up within the column. */
  decimal?: boolean;
}

/** A notification reduced to its cells. `age` cells are computed at draw time from `time`. */
export interface Row {
  cells: Record<string, string>;
  tones: Record<string, Tone>;
  /** Unix seconds of the event, for the `age` column. */
  time: number | undefined;
}

/** The columns of a list channel and how a notification's `data` becomes a row. */
export interface ChannelColumns {
  columns: readonly Column[];
  toRow(data: Record<string, unknown>): Row;
}

const HASH_WIDTH = { shrink: 'middle', minWidth: 11, maxWidth: 19 } as const;
const NUMBER = { align: 'right', shrink: 'none', minWidth: 1, maxWidth: Number.POSITIVE_INFINITY } as const;

function column(key: string, header: string, dropOrder: number, shape: Omit<Column, 'key' | 'header' | 'dropOrder'>): Column {
  return { key, header, dropOrder, ...shape };
}

const hash = (key: string, header: string, dropOrder: number): Column => column(key, header, dropOrder, { align: 'left', ...HASH_WIDTH });
const number = (key: string, header: string, dropOrder: number): Column => column(key, header, dropOrder, NUMBER);
const amount = (key: string, header: string, dropOrder: number): Column => ({ ...column(key, header, dropOrder, NUMBER), decimal: true });
const label = (key: string, header: string, dropOrder: number): Column =>
  column(key, header, dropOrder, { align: 'left', shrink: 'none', minWidth: 1, maxWidth: 12 });

const newBlocks: ChannelColumns = {
  columns: [
    number('height', 'height', 0),
    hash('hash', 'hash', 1),
    number('age', 'age', 2),
    number('txCount', 'txs', 3),
    number('size', 'size', 4),
    number('difficulty', 'difficulty', 5),
  ],
  toRow: (data) => ({
    cells: {
      height: literal(data.height),
      hash: safeString(data.hash),
      txCount: groupedNumber(data.txCount),
      size: groupedNumber(data.size),
      difficulty: groupedNumber(data.difficulty),
    },
    tones: {},
    time: unixSeconds(data.time),
  }),
};

const newTransactions: ChannelColumns = {
  columns: [
    hash('txid', 'txid', 0),
    number('size', 'size', 4),
    amount('fee', 'fee', 1),
    number('feeRate', 'sat/B', 2),
    number('inOut', 'in/out', 5),
    amount('totalOut', 'total out', 3),
  ],
  toRow: (data) => ({
    cells: {
      txid: safeString(data.txid),
      size: groupedNumber(data.size),
      fee: groupedNumber(data.fee),
      feeRate: feeRate(data.fee, data.size),
      inOut: `${count(data.inputs)}/${count(data.outputs)}`,
      totalOut: groupThousands(totalValue(data.outputs)),
    },
    tones: {},
    time: undefined,
  }),
};

const addressTransactions: ChannelColumns = {
  columns: [
    number('age', 'age', 4),
    hash('address', 'address', 1),
    label('type', 'type', 2),
    amount('amount', 'amount', 0),
    number('confirmations', 'conf', 3),
  ],
  toRow: (data) => {
    const tone = toneOf(data.type, 'received', 'sent');
    const tones: Record<string, Tone> = tone === undefined ? {} : { type: tone, amount: tone };
    return {
      cells: {
        address: safeString(data.address),
        type: safeString(data.type),
        amount: signedAmount(data.type, data.amount),
        confirmations: literal(data.confirmations),
      },
      tones,
      time: unixSeconds(data.time),
    };
  },
};

const mempool: ChannelColumns = {
  columns: [
    label('action', 'action', 0),
    hash('txid', 'txid', 1),
    number('size', 'size', 3),
    amount('fee', 'fee', 2),
    number('feeRate', 'sat/B', 4),
  ],
  toRow: (data) => {
    const tone = toneOf(data.action, 'added', 'removed');
    const tones: Record<string, Tone> = tone === undefined ? {} : { action: tone };
    return {
      cells: {
        action: safeString(data.action),
        txid: safeString(data.txid),
        size: groupedNumber(data.size),
        fee: groupedNumber(data.fee),
        feeRate: feeRate(data.fee, data.size),
      },
      tones,
      time: undefined,
    };
  },
};

/** Column sets of the channels shown as lists of rows; mining-info has its own key/value panel. */
export const LIST_CHANNELS: Readonly<Record<string, ChannelColumns>> = {
  'new-blocks': newBlocks,
  'new-transactions': newTransactions,
  'address-transactions': addressTransactions,
  mempool,
};

function count(value: unknown): string {
  return Array.isArray(value) ? String(value.length) : MISSING;
}

function toneOf(value: unknown, good: string, bad: string): Tone | undefined {
  if (value === good) {
    return 'good';
  }
  return value === bad ? 'bad' : undefined;
}

/** Formats the amount with `+` for received and `-` for sent, digits exactly as received. */
function signedAmount(type: unknown, amount: unknown): string {
  if (!isWireNumber(amount)) {
    return MISSING;
  }
  const text = groupThousands(amount.value);
  if (text.startsWith('-')) {
    return text;
  }
  if (type === 'received') {
    return `+${text}`;
  }
  return type === 'sent' ? `-${text}` : text;
}
