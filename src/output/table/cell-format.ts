import { coinsToUnits } from '../../protocol/amounts.js';
import { isWireNumber } from '../../protocol/json-text.js';
import { sanitizeForTerminal } from '../sanitize.js';

/** What a cell shows for a field that is missing or of the wrong type. */
export const MISSING = '?';

/** A server string made safe for the terminal, or `?` when the field is not a string. */
export function safeString(value: unknown): string {
  return typeof value === 'string' ? sanitizeForTerminal(value) : MISSING;
}

/** A number's literal text as received, or `?`. */
export function literal(value: unknown): string {
  return isWireNumber(value) ? value.value : MISSING;
}

/**
 * Adds thousands separators to the whole part of a plain decimal literal, keeping every digit:
 * `1970169` becomes `1,970,169` and `81725299822043.21842340` becomes `81,725,299,822,043.21842340`.
 * Text that is not a plain decimal (an exponent, `?`) is returned unchanged.
 */
export function groupThousands(text: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (match === null) {
    return text;
  }
  const [, sign = '', whole = '', fraction = ''] = match;
  return `${sign}${whole.replace(/\B(?=(\d{3})+$)/g, ',')}${fraction}`;
}

/** A number field with thousands separators, exactly as received otherwise. */
export function groupedNumber(value: unknown): string {
  return groupThousands(literal(value));
}

/** Time since `unixSeconds` in the largest whole unit: `12s ago`, `5m ago`, `3h ago`, `2d ago`. */
export function formatAge(unixSeconds: number, nowMs: number): string {
  const seconds = Math.round(nowMs / 1000 - unixSeconds);
  if (seconds < 0) {
    return `in ${formatSpan(-seconds)}`;
  }
  return `${formatSpan(seconds)} ago`;
}

function formatSpan(seconds: number): string {
  if (seconds < 60) {
    return `${seconds}s`;
  }
  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)}m`;
  }
  if (seconds < 48 * 3600) {
    return `${Math.floor(seconds / 3600)}h`;
  }
  return `${Math.floor(seconds / 86400)}d`;
}

/** A duration as `1h 02m 03s`, `2m 05s` or `7s`, for the status line and the summary. */
export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) {
    return `${hours}h ${String(minutes).padStart(2, '0')}m ${String(seconds).padStart(2, '0')}s`;
  }
  if (minutes > 0) {
    return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  }
  return `${seconds}s`;
}

/** Unix seconds from a number field, or undefined when it is missing or not a safe integer. */
export function unixSeconds(value: unknown): number | undefined {
  if (!isWireNumber(value)) {
    return undefined;
  }
  const seconds = Number(value.value);
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/**
 * Fee rate in base units per byte, with one decimal: fee (whole coins) × 10^8 / size (bytes),
 * computed in integers and rounded half up. It is a derived figure for reading, not an amount.
 */
export function feeRate(fee: unknown, size: unknown): string {
  if (!isWireNumber(fee) || !isWireNumber(size) || !/^\d+$/.test(size.value) || size.value === '0') {
    return MISSING;
  }
  let units: bigint;
  try {
    units = coinsToUnits(fee.value);
  } catch {
    return MISSING;
  }
  if (units < 0n) {
    return MISSING;
  }
  const bytes = BigInt(size.value);
  const tenths = (units * 20n + bytes) / (2n * bytes);
  return `${groupThousands((tenths / 10n).toString())}.${tenths % 10n}`;
}
