import type { ChalkInstance } from 'chalk';

import { coinsToUnits, unitsToCoins } from '../protocol/amounts.js';
import { isWireNumber, parseLossless } from '../protocol/json-text.js';
import { plainColors } from './color-policy.js';
import { sanitizeForTerminal } from './sanitize.js';

type Fields = Record<string, unknown>;

/**
 * Formats one notification as a readable line of `key=value` pairs, with numbers exactly as the
 * server wrote them. A field that is missing or of the wrong type shows as `?`. Server strings are
 * sanitised, because this line goes to a terminal. `colors` paints the channel name, and the
 * direction of a payment or a mempool change (green received and added, red sent and removed).
 */
export function formatTextLine(line: string, colors: ChalkInstance = plainColors): string {
  const notification = parseLossless(line) as Fields;
  const channel = String(notification.channel);
  const join = (name: string, parts: string[]): string => [colors.cyan(name), ...parts].join(' ');
  const tone = (value: string, good: string, bad: string): string => {
    if (value === good) {
      return colors.green(value);
    }
    return value === bad ? colors.red(value) : value;
  };
  const data = notification.data as Fields;

  switch (channel) {
    case 'new-blocks':
      return join(channel, [
        pair('height', number(data.height)),
        pair('hash', string(data.hash)),
        pair('txCount', number(data.txCount)),
        pair('size', number(data.size)),
        pair('difficulty', number(data.difficulty)),
        pair('time', unixTime(data.time)),
      ]);
    case 'new-transactions':
      return join(channel, [
        pair('txid', string(data.txid)),
        pair('size', number(data.size)),
        pair('fee', number(data.fee)),
        pair('inputs', count(data.inputs)),
        pair('in', total(data.inputs)),
        pair('outputs', count(data.outputs)),
        pair('out', total(data.outputs)),
      ]);
    case 'address-transactions':
      return join(channel, [
        pair('type', tone(string(data.type), 'received', 'sent')),
        pair('amount', signedAmount(data.type, data.amount)),
        pair('address', string(data.address)),
        pair('confirmations', number(data.confirmations)),
        pair('txid', string(data.txid)),
        pair('time', unixTime(data.time)),
      ]);
    case 'mempool':
      return join(channel, [
        tone(string(data.action), 'added', 'removed'),
        pair('txid', string(data.txid)),
        pair('size', number(data.size)),
        pair('fee', number(data.fee)),
      ]);
    case 'mining-info':
      return join(channel, [
        pair('blocks', number(data.blocks)),
        pair('difficulty', number(data.difficulty)),
        pair('networkHashPs', number(data.networkHashPs)),
        pair('pooledTx', number(data.pooledTx)),
        pair('currentBlockTx', number(data.currentBlockTx)),
        pair('currentBlockWeight', number(data.currentBlockWeight)),
      ]);
    default:
      return join(sanitizeForTerminal(channel), [JSON.stringify(sanitizeForTerminal(JSON.stringify(data)))]);
  }
}

function pair(key: string, value: string): string {
  return `${key}=${value}`;
}

function number(value: unknown): string {
  return isWireNumber(value) ? value.value : '?';
}

/** Formats a server string, quoted when it would otherwise break the `key=value` layout. */
function string(value: unknown): string {
  if (typeof value !== 'string') {
    return '?';
  }
  const safe = sanitizeForTerminal(value);
  return /^[^\s"=]+$/u.test(safe) ? safe : `"${safe.replaceAll('"', '\\"')}"`;
}

function count(value: unknown): string {
  return Array.isArray(value) ? String(value.length) : '?';
}

/** Sum of the `value` fields of inputs or outputs, added in base units so no rounding creeps in. */
function total(value: unknown): string {
  if (!Array.isArray(value)) {
    return '?';
  }
  let units = 0n;
  for (const entry of value) {
    const amount = (entry as Fields | null)?.value;
    if (!isWireNumber(amount)) {
      return '?';
    }
    try {
      units += coinsToUnits(amount.value);
    } catch {
      return '?';
    }
  }
  return unitsToCoins(units);
}

function signedAmount(type: unknown, amount: unknown): string {
  if (!isWireNumber(amount)) {
    return '?';
  }
  if (amount.value.startsWith('-')) {
    return amount.value;
  }
  if (type === 'received') {
    return `+${amount.value}`;
  }
  return type === 'sent' ? `-${amount.value}` : amount.value;
}

function unixTime(value: unknown): string {
  if (!isWireNumber(value)) {
    return '?';
  }
  const seconds = Number(value.value);
  if (!Number.isSafeInteger(seconds) || Math.abs(seconds) > 8.64e12) {
    return value.value;
  }
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
