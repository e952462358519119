import { isWireNumber } from '../../protocol/json-text.js';
import { groupThousands, MISSING } from './cell-format.js';
import type { Tone } from './channel-columns.js';

/** The mining-info fields shown, in this order, with their labels. */
const FIELDS = [
  ['blocks', 'blocks'],
  ['difficulty', 'difficulty'],
  ['networkHashPs', 'network hash/s'],
  ['pooledTx', 'pooled tx'],
  ['currentBlockTx', 'block tx'],
  ['currentBlockWeight', 'block weight'],
] as const;

/** One line of the mining-info panel. `change` is empty before the second notification. */
export interface MiningValue {
  label: string;
  value: string;
  change: string;
  tone: Tone | undefined;
}

/**
 * The latest mining-info notification and the one before it. Only these two are kept, so memory
 * stays the same however long the run lasts.
 */
export class MiningValues {
  private latest: Record<string, unknown> | undefined;
  private previous: Record<string, unknown> | undefined;

  update(data: Record<string, unknown>): void {
    this.previous = this.latest;
    this.latest = data;
  }

  get hasData(): boolean {
    return this.latest !== undefined;
  }

  values(): MiningValue[] {
    return FIELDS.map(([key, label]) => {
      const current = this.latest?.[key];
      // A block height reads as a number of its own, like 831328, not as a quantity.
      let value = MISSING;
      if (isWireNumber(current)) {
        value = key === 'blocks' ? current.value : groupThousands(current.value);
      }
      const change = this.previous === undefined ? '' : decimalChange(this.previous[key], current);
      const tone: Tone | undefined = change.startsWith('+') ? 'good' : change.startsWith('-') ? 'bad' : undefined;
      return { label, value, change, tone };
    });
  }
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Computes the exact difference `current - previous` of two plain decimal literals, signed and grouped:
 * `+1,234`, `-0.5`, `0`. Computed in integers scaled to the longer fraction, so no digit is lost.
 * `?` when either value is not a plain decimal literal.
 */
export function decimalChange(previous: unknown, current: unknown): string {
  if (!isWireNumber(previous) || !isWireNumber(current)) {
    return MISSING;
  }
  const a = DECIMAL.exec(previous.value);
  const b = DECIMAL.exec(current.value);
  if (a === null || b === null) {
    return MISSING;
  }
  const scale = Math.max((a[3] ?? '').length, (b[3] ?? '').length);
  const difference = scaled(b, scale) - scaled(a, scale);
  if (difference === 0n) {
    return '0';
  }

  const sign = difference < 0n ? '-' : '+';
  const digits = (difference < 0n ? -difference : difference).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale === 0 ? '' : `.${digits.slice(digits.length - scale)}`.replace(/\.?0+$/, '');
  return `${sign}${groupThousands(whole)}${fraction}`;
}

function scaled(match: RegExpExecArray, scale: number): bigint {
  const [, sign = '', whole = '0', fraction = ''] = match;
  const value = BigInt(whole + fraction.padEnd(scale, '0'));
  return sign === '-' ? -value : value;
}
