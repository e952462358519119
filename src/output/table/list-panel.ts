import type { ChalkInstance } from 'chalk';

import { parseLossless } from '../../protocol/json-text.js';
import { formatAge, MISSING } from './cell-format.js';
import type { ChannelColumns, Column, Row } from './channel-columns.js';
import { fitColumns, tableWidth } from './column-fit.js';
import { drawPanel, type DrawnCell } from './panel-draw.js';
import { RecentRows } from './recent-rows.js';

/** Lines a list panel takes besides its rows: the top border, the header, its rule and the bottom border. */
export const LIST_PANEL_FRAME_LINES = 4;

/** One channel's panel of rows, newest on top. */
export class ListPanel {
  readonly rows: RecentRows<Row>;

  constructor(
    readonly channel: string,
    private readonly spec: ChannelColumns,
    capacity: number,
  ) {
    this.rows = new RecentRows(capacity, (line) => toRow(spec, line));
  }

  /**
   * Draws the panel in at most `width` columns with room for `rowCount` rows, the newest first.
   * Returns no lines when not even one column fits.
   */
  draw(width: number, rowCount: number, nowMs: number, colors: ChalkInstance): string[] {
    const rows = this.rows.newestFirst(rowCount);
    const cellsOf = (column: Column): string[] => rows.map((row) => cellOf(row, column, nowMs));
    const fitted = fitColumns(this.spec.columns, cellsOf, width);
    if (fitted.columns.length === 0) {
      return [];
    }

    const drawn = fitted.columns.map((column, index) => ({
      header: column.header,
      width: fitted.widths[index] ?? 1,
      align: column.align,
      cut: column.shrink === 'middle' ? ('middle' as const) : ('end' as const),
    }));
    const cells: DrawnCell[][] = rows.map((row) =>
      fitted.columns.map((column) => ({ text: cellOf(row, column, nowMs), tone: row.tones[column.key] })),
    );
    // Empty rows keep the panel at its full height, so panels below do not move as rows arrive.
    while (cells.length < rowCount) {
      cells.push([]);
    }
    const hidden = this.spec.columns.length - fitted.columns.length;
    const title = hidden > 0 ? `${this.channel} (${hidden} columns hidden)` : this.channel;
    const lines = drawPanel(title, drawn, cells, colors);
    return tableWidth(fitted.widths) <= width ? lines : [];
  }
}

function cellOf(row: Row, column: Column, nowMs: number): string {
  if (column.key === 'age') {
    return row.time === undefined ? MISSING : formatAge(row.time, nowMs);
  }
  return row.cells[column.key] ?? MISSING;
}

/** Turns a notification line into a row; a line lossless-json cannot read shows as `?` cells. */
function toRow(spec: ChannelColumns, line: string): Row {
  try {
    const notification = parseLossless(line) as { data?: unknown };
    const data = notification.data;
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      return spec.toRow(data as Record<string, unknown>);
    }
  } catch {
    // lossless-json rejects some frames JSON.parse accepts, such as a key given twice with
    // different values. The row then shows `?`, and the JSON lines output is unaffected.
  }
  return { cells: {}, tones: {}, time: undefined };
}
