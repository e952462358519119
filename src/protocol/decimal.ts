/**
 * An exact decimal read from a JSON number literal: value = sign × 0.digits × 10^exponent, with
 * `digits` free of leading and trailing zeros. Zero has empty digits. Keeping the exponent apart
 * means `1e999999999` compares without building a billion-digit integer.
 */
export interface Decimal {
  negative: boolean;
  digits: string;
  exponent: bigint;
}

const NUMBER_PATTERN = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Reads a JSON number literal exactly, or returns undefined when `text` is not one. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = NUMBER_PATTERN.exec(text);
  if (match === null) {
    return undefined;
  }
  const [, sign = '', whole = '0', fraction = '', exponentText = '0'] = match;

  const all = whole + fraction;
  const leading = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(leading).replace(/0+$/, '');
  if (digits === '') {
    return { negative: false, digits: '', exponent: 0n };
  }
  // 0.d1d2… × 10^exponent: the point sits after the whole part, less the leading zeros dropped.
  const exponent = BigInt(exponentText) + BigInt(whole.length - leading);
  return { negative: sign === '-', digits, exponent };
}

/** Compares two decimals exactly: -1 when a < b, 0 when equal (0.10 equals 0.1), 1 when a > b. */
export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const signA = signOf(a);
  const signB = signOf(b);
  if (signA !== signB) {
    return signA < signB ? -1 : 1;
  }
  if (signA === 0) {
    return 0;
  }

  const magnitude = compareMagnitudes(a, b);
  if (magnitude === 0 || signA > 0) {
    return magnitude;
  }
  return magnitude < 0 ? 1 : -1;
}

function compareMagnitudes(a: Decimal, b: Decimal): -1 | 0 | 1 {
  if (a.exponent !== b.exponent) {
    return a.exponent < b.exponent ? -1 : 1;
  }
  const width = Math.max(a.digits.length, b.digits.length);
  const left = a.digits.padEnd(width, '0');
  const right = b.digits.padEnd(width, '0');
  if (left === right) {
    return 0;
  }
  return left < right ? -1 : 1;
}

function signOf(decimal: Decimal): -1 | 0 | 1 {
  if (decimal.digits === '') {
    return 0;
  }
  return decimal.negative ? -1 : 1;
}
