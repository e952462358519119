import type { Column } from './channel-columns.js';
import { displayWidth } from './text-width.js';

/** The columns that fit, each with its content width in terminal columns (padding excluded). */
export interface FittedColumns {
  columns: Column[];
  widths: number[];
}

/** Returns the width a cli-table3 table takes for content widths `widths`: one space of padding each side, and a border between and around columns. */
export function tableWidth(widths: readonly number[]): number {
  return widths.reduce((sum, width) => sum + width + 3, 1);
}

/**
 * Chooses the columns and their widths so that the table fits `maxWidth` terminal columns.
 * Each column starts at the width of its widest cell (up to its `maxWidth`). While the table is
 * too wide, hashes and addresses lose their middle down to their `minWidth`, then the column with
 * the highest `dropOrder` is dropped. The last column left is cut to what fits. Returns no columns
 * when not even one column of width 1 fits.
 */
export function fitColumns(all: readonly Column[], cellsOf: (column: Column) => string[], maxWidth: number): FittedColumns {
  let columns = [...all];
  const natural = new Map<Column, number>();
  for (const column of all) {
    const widest = Math.max(displayWidth(column.header), ...cellsOf(column).map(displayWidth));
    natural.set(column, Math.min(widest, column.maxWidth));
  }
  const widthOf = (column: Column): number => natural.get(column) ?? 1;

  for (;;) {
    let widths = columns.map(widthOf);
    let excess = tableWidth(widths) - maxWidth;
    if (excess <= 0) {
      return { columns, widths };
    }

    widths = shrinkMiddles(columns, widths, excess);
    excess = tableWidth(widths) - maxWidth;
    if (excess <= 0) {
      return { columns, widths };
    }

    if (columns.length > 1) {
      const dropped = columns.reduce((worst, column) => (column.dropOrder > worst.dropOrder ? column : worst));
      columns = columns.filter((column) => column !== dropped);
      continue;
    }

    const last = Math.max(0, (widths[0] ?? 0) - excess);
    return last >= 1 ? { columns, widths: [last] } : { columns: [], widths: [] };
  }
}

/** Takes `excess` columns from the middle-shrinkable columns, widest first, down to their minimum. */
function shrinkMiddles(columns: readonly Column[], widths: number[], excess: number): number[] {
  const result = [...widths];
  let remaining = excess;
  while (remaining > 0) {
    let widest = -1;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i];
      if (column?.shrink === 'middle' && (result[i] ?? 0) > column.minWidth && (widest < 0 || (result[i] ?? 0) > (result[widest] ?? 0))) {
        widest = i;
      }
    }
    if (widest < 0) {
      break;
    }
    result[widest] = (result[widest] ?? 0) - 1;
    remaining--;
  }
  return result;
}
