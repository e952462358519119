import { coinsToUnits, unitsToCoins } from '../../protocol/amounts.js';
import { isWireNumber } from '../../protocol/json-text.js';
import { MISSING } from './cell-format.js';

/**
 * Sum of the `value` fields of a transaction's inputs or outputs, added in integer base units so
 * that no rounding creeps in. `?` when the list or a value is missing or has more than 8 decimals.
 */
export function totalValue(entries: unknown): string {
  if (!Array.isArray(entries)) {
    return MISSING;
  }
  let units = 0n;
  for (const entry of entries) {
    const value = (entry as Record<string, unknown> | null)?.value;
    if (!isWireNumber(value)) {
      return MISSING;
    }
    try {
      units += coinsToUnits(value.value);
    } catch {
      return MISSING;
    }
  }
  return unitsToCoins(units);
}
