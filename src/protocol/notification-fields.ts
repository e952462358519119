import { isChannelName, type ChannelName } from './channels.js';

type FieldType = 'string' | 'height' | 'number' | 'array';

interface ChannelFields {
  /** Fields without which the notification is meaningless (a block without a height, a transaction without a txid). */
  required: Readonly<Record<string, FieldType>>;
  /** Documented fields that may be missing, but must have this type when present. */
  optional: Readonly<Record<string, FieldType>>;
}

/**
 * The documented fields of each channel's `data`, with their JSON types. Fields the documentation
 * does not list are not checked and pass through untouched.
 */
const CHANNEL_FIELDS: Readonly<Record<ChannelName, ChannelFields>> = {
  'new-blocks': {
    required: { height: 'height' },
    optional: { hash: 'string', time: 'number', txCount: 'number', size: 'number', difficulty: 'number' },
  },
  'new-transactions': {
    required: { txid: 'string' },
    optional: { size: 'number', fee: 'number', inputs: 'array', outputs: 'array' },
  },
  'address-transactions': {
    required: { txid: 'string', address: 'string' },
    optional: { type: 'string', amount: 'number', confirmations: 'number', time: 'number' },
  },
  mempool: {
    required: { action: 'string', txid: 'string' },
    optional: { size: 'number', fee: 'number' },
  },
  'mining-info': {
    required: { blocks: 'height' },
    optional: { currentBlockWeight: 'number', currentBlockTx: 'number', difficulty: 'number', networkHashPs: 'number', pooledTx: 'number' },
  },
};

const EXPECTED: Readonly<Record<FieldType, string>> = {
  string: 'a string',
  height: 'a whole number of 0 or more',
  number: 'a number',
  array: 'an array',
};

/**
 * Checks the documented fields of a notification's `data`. Returns what is wrong, or undefined when
 * the fields are fine or the channel is not one of the documented five.
 */
export function checkNotificationFields(channel: string, data: Readonly<Record<string, unknown>>): string | undefined {
  if (!isChannelName(channel)) {
    return undefined;
  }
  const { required, optional } = CHANNEL_FIELDS[channel];

  for (const field of Object.keys(required)) {
    if (!(field in data)) {
      return `notification on ${channel} without \`${field}\``;
    }
  }
  for (const [field, type] of [...Object.entries(required), ...Object.entries(optional)]) {
    if (field in data && !hasType(data[field], type)) {
      return `notification on ${channel} whose \`${field}\` is ${describeValue(data[field])}, not ${EXPECTED[type]}`;
    }
  }
  return undefined;
}

function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'height':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
    case 'number':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value);
  }
}

function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'number') {
    return `the number ${value}`;
  }
  return `of type ${typeof value}`;
}

/** Deepest nesting of objects and arrays accepted in a frame; documented frames nest 4 deep. */
export const MAX_NESTING_DEPTH = 64;

/**
 * Returns true when the JSON text nests objects and arrays deeper than `limit`. Scans the text
 * without parsing it, because the recursive parsers downstream (lossless-json for text output)
 * overflow the stack on a frame nested a hundred thousand deep.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;

  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++; // the escaped character cannot end the string
      } else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > limit) {
        return true;
      }
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
