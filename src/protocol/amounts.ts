/** Base units per coin: amounts and fees carry up to 8 decimals. */
export const UNITS_PER_COIN = 100_000_000n;
const DECIMALS = 8;

const NUMBER_PATTERN = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Converts a JSON number literal in whole coins (`49.9999`, `1e-4`) to integer base units, exactly.
 * Throws RangeError when the literal has a non-zero digit below 1 unit (more than 8 decimals).
 */
export function coinsToUnits(literal: string): bigint {
  const match = NUMBER_PATTERN.exec(literal);
  if (match === null) {
    throw new RangeError(`"${literal}" is not a JSON number`);
  }
  const [, sign = '', whole = '0', fraction = '', exponentText = '0'] = match;

  // Shift the decimal point by the exponent, then by 8 places for units.
  const digits = whole + fraction;
  const pointAt = whole.length + Number(exponentText) + DECIMALS;
  let units: string;
  if (pointAt <= 0) {
    units = '0';
    if (/[1-9]/.test(digits)) {
      throw new RangeError(`${literal} has more than ${DECIMALS} decimals`);
    }
  } else if (pointAt >= digits.length) {
    units = digits + '0'.repeat(pointAt - digits.length);
  } else {
    if (/[1-9]/.test(digits.slice(pointAt))) {
      throw new RangeError(`${literal} has more than ${DECIMALS} decimals`);
    }
    units = digits.slice(0, pointAt);
  }

  const value = BigInt(units);
  return sign === '-' ? -value : value;
}

/**
 * Formats integer base units as whole coins, with the decimals needed and no trailing zeros:
 * `4999990000n` becomes `"49.9999"`. `minDecimals` pads with zeros, for columns that line up.
 */
export function unitsToCoins(units: bigint, minDecimals = 0): string {
  const negative = units < 0n;
  const magnitude = negative ? -units : units;
  const whole = magnitude / UNITS_PER_COIN;
  let fraction = (magnitude % UNITS_PER_COIN).toString().padStart(DECIMALS, '0').replace(/0+$/, '');
  if (fraction.length < minDecimals) {
    fraction = fraction.padEnd(minDecimals, '0');
  }
  const text = fraction === '' ? whole.toString() : `${whole}.${fraction}`;
  return negative ? `-${text}` : text;
}
