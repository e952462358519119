import Table from 'cli-table3';
import type { ChalkInstance } from 'chalk';

import type { Tone } from './channel-columns.js';
import { displayWidth, padToWidth, truncateEnd, truncateMiddle } from './text-width.js';

/** A column as drawn: its header, content width, alignment and how too long text is cut. */
export interface DrawnColumn {
  header: string;
  width: number;
  align: 'left' | 'right';
  cut: 'middle' | 'end';
}

/** One cell as drawn: plain text (already sanitised) and an optional tone. */
export interface DrawnCell {
  text: string;
  tone?: Tone | undefined;
}

/** The letter that stands in for cell text while cli-table3 lays out the box; see `drawPanel`. */
const PLACEHOLDER = 'X';

/**
 * Draws one panel: a box with `title` in its top border, a header row unless `withHeader` is
 * false, and `rows`. Every line has the width that `tableWidth` gives for the column widths.
 *
 * cli-table3 draws the box, but it measures text with string-width 4, which disagrees with
 * string-width 8 on zero-width characters and on emoji newer than its tables. So cli-table3 is
 * given a run of placeholder letters of the right display width for each cell, and the real,
 * padded text is put in afterwards, run by run: the columns line up whatever the text contains.
 */
export function drawPanel(
  title: string,
  columns: readonly DrawnColumn[],
  rows: readonly DrawnCell[][],
  colors: ChalkInstance,
  withHeader = true,
): string[] {
  const table = new Table({
    head: withHeader ? columns.map((column) => PLACEHOLDER.repeat(column.width)) : [],
    colWidths: columns.map((column) => column.width + 2),
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
    wordWrap: false,
  });
  for (let i = 0; i < rows.length; i++) {
    table.push(columns.map((column) => PLACEHOLDER.repeat(column.width)));
  }

  // cli-table3 draws a rule under the header and between every two rows. None is kept, because
  // the header is bold and a short terminal then has room for more rows.
  const lines = table
    .toString()
    .split('\n')
    .filter((line) => !line.startsWith('├'));

  const texts: string[][] = [
    ...(withHeader ? [columns.map((column) => colors.bold(padToWidth(column.header, column.width, column.align)))] : []),
    ...rows.map((row) => columns.map((column, index) => cellText(column, row[index], colors))),
  ];
  let textRow = 0;
  const filled = lines.map((line) => {
    if (!line.startsWith('│')) {
      return colors.dim(line);
    }
    const cells = texts[textRow++] ?? [];
    let cellIndex = 0;
    return line
      .split(/X+/u)
      .map((border, index) => (index === 0 ? colors.dim(border) : `${cells[cellIndex++] ?? ''}${colors.dim(border)}`))
      .join('');
  });

  if (lines[0] !== undefined) {
    filled[0] = titledBorder(lines[0], title, colors);
  }
  return filled;
}

function cellText(column: DrawnColumn, cell: DrawnCell | undefined, colors: ChalkInstance): string {
  const text = cell?.text ?? '';
  const cut = column.cut === 'middle' ? truncateMiddle(text, column.width) : truncateEnd(text, column.width);
  const padded = padToWidth(cut, column.width, column.align);
  if (cell?.tone === 'good') {
    return colors.green(padded);
  }
  return cell?.tone === 'bad' ? colors.red(padded) : padded;
}

/** Puts ` title ` into the top border after its first two characters, cut to fit. */
function titledBorder(border: string, title: string, colors: ChalkInstance): string {
  const room = displayWidth(border) - 5;
  if (room < 1) {
    return colors.dim(border);
  }
  const shown = truncateEnd(title, room);
  const chars = Array.from(border);
  const start = chars.slice(0, 2).join('');
  const rest = chars.slice(2 + displayWidth(shown) + 2).join('');
  return `${colors.dim(start)} ${colors.bold(shown)} ${colors.dim(rest)}`;
}
