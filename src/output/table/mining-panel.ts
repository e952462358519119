import type { ChalkInstance } from 'chalk';

import { parseLossless } from '../../protocol/json-text.js';
import type { Column } from './channel-columns.js';
import { fitColumns, tableWidth } from './column-fit.js';
import { MiningValues } from './mining-values.js';
import { drawPanel, type DrawnCell, type DrawnColumn } from './panel-draw.js';

const PAIR_COLUMNS: readonly Column[] = [
  { key: 'label', header: 'field', align: 'left', dropOrder: 0, shrink: 'none', minWidth: 1, maxWidth: 20 },
  { key: 'value', header: 'value', align: 'right', dropOrder: 0, shrink: 'none', minWidth: 1, maxWidth: Number.POSITIVE_INFINITY },
  { key: 'change', header: 'change', align: 'right', dropOrder: 1, shrink: 'none', minWidth: 1, maxWidth: Number.POSITIVE_INFINITY },
];

/** The mining-info panel: the latest value of each field and its change since the notification before. */
export class MiningPanel {
  readonly channel = 'mining-info';
  private readonly values = new MiningValues();

  /** Reads a mining-info notification line; throws when lossless-json cannot parse it. */
  update(line: string): void {
    const notification = parseLossless(line) as { data?: unknown };
    this.values.update((notification.data ?? {}) as Record<string, unknown>);
  }

  /** Counts the lines the panel takes at `width`: fields side by side in two groups when they fit, else one field a row. */
  height(width: number): number {
    return this.layout(width).lines.length;
  }

  /** Draws the panel in at most `width` columns with `title` in its top border. */
  draw(title: string, width: number, colors: ChalkInstance): string[] {
    return this.layout(width, colors, title).lines;
  }

  private layout(width: number, colors?: ChalkInstance, title = this.channel): { lines: string[] } {
    const values = this.values.values();
    const cellsOf = (column: Column): string[] =>
      values.map((value) => {
        if (column.key === 'label') {
          return value.label;
        }
        return column.key === 'value' ? value.value : value.change;
      });
    const fitted = fitColumns(PAIR_COLUMNS, cellsOf, width);
    if (fitted.columns.length === 0) {
      return { lines: [] };
    }

    const groups = tableWidth([...fitted.widths, ...fitted.widths]) <= width ? 2 : 1;
    const perGroup = Math.ceil(values.length / groups);
    const columns: DrawnColumn[] = [];
    for (let group = 0; group < groups; group++) {
      fitted.columns.forEach((column, index) => {
        columns.push({ header: column.header, width: fitted.widths[index] ?? 1, align: column.align, cut: 'end' });
      });
    }

    const rows: DrawnCell[][] = [];
    for (let line = 0; line < perGroup; line++) {
      const cells: DrawnCell[] = [];
      for (let group = 0; group < groups; group++) {
        const value = values[group * perGroup + line];
        for (const column of fitted.columns) {
          if (value === undefined) {
            cells.push({ text: '' });
          } else if (column.key === 'label') {
            cells.push({ text: value.label });
          } else if (column.key === 'value') {
            cells.push({ text: this.values.hasData ? value.value : '…' });
          } else {
            cells.push({ text: value.change, tone: value.tone });
          }
        }
      }
      rows.push(cells);
    }

    if (colors === undefined) {
      // Only the line count is needed: a box without a header has a top and a bottom border.
      return { lines: new Array<string>(rows.length + 2).fill('') };
    }
    return { lines: drawPanel(title, columns, rows, colors, false) };
  }
}
