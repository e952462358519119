import type { ChalkInstance } from 'chalk';

import { parseLossless } from '../../protocol/json-text.js';
import { formatAge, MISSING } from './cell-format.js';
import type { ChannelColumns, Column, Row } from './channel-columns.js';
import { fitColumns, tableWidth } from './column-fit.js';
import { drawPanel, type DrawnCell } from './panel-draw.js';
import { RecentRows } from './recent-rows.js';

/** Lines a list panel takes besides its rows: the top border with the title, the header and the bottom border. */
export const LIST_PANEL_FRAME_LINES = 3;

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
   * Draws the panel in at most `width` columns with room for `rowCount` rows, the newest first,
   * and `title` in its top border. Returns no lines when not even one column fits.
   */
  draw(title: string, width: number, rowCount: number, nowMs: number, colors: ChalkInstance): string[] {
    const rows = this.rows.newestFirst(rowCount);
    const texts = new Map(this.spec.columns.map((column) => [column, columnTexts(rows, column, nowMs)]));
    const cellsOf = (column: Column): string[] => texts.get(column) ?? [];
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
    const cells: DrawnCell[][] = rows.map((row, index) =>
      fitted.columns.map((column) => ({ text: texts.get(column)?.[index] ?? MISSING, tone: row.tones[column.key] })),
    );
    // A channel with nothing yet still shows one (empty) row under its header.
    while (cells.length < rowCount) {
      cells.push([]);
    }
    const hidden = this.spec.columns.length - fitted.columns.length;
    const note = hidden === 0 ? '' : ` (${hidden} ${hidden === 1 ? 'column' : 'columns'} hidden)`;
    const lines = drawPanel(title + note, drawn, cells, colors);
    return tableWidth(fitted.widths) <= width ? lines : [];
  }
}

/**
 * Returns the texts of one column, newest row first. In a `decimal` column, spaces after the digits line
 * up the decimal points, so `0.000071` and `0.00010458` are easy to compare without a digit added.
 */
function columnTexts(rows: readonly Row[], column: Column, nowMs: number): string[] {
  const texts = rows.map((row) => cellOf(row, column, nowMs));
  if (column.decimal !== true) {
    return texts;
  }
  const fractionDigits = (text: string): number => (/^[-+]?[\d,]+\.(\d+)$/u.exec(text)?.[1] ?? '').length;
  const widest = Math.max(0, ...texts.map(fractionDigits));
  if (widest === 0) {
    return texts;
  }
  return texts.map((text) => {
    const digits = fractionDigits(text);
    const missing = digits === 0 ? (/^[-+]?[\d,]+$/u.test(text) ? widest + 1 : 0) : widest - digits;
    return text + ' '.repeat(Math.max(0, missing));
  });
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
