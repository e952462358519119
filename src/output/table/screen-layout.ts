import type { ChalkInstance } from 'chalk';

import { groupThousands } from './cell-format.js';
import { LIST_PANEL_FRAME_LINES, type ListPanel } from './list-panel.js';
import type { MiningPanel } from './mining-panel.js';
import { formatRate, type RateMeter } from './rate-meter.js';
import { statusLine, type StatusView } from './status-line.js';
import { displayWidth, truncateEnd } from './text-width.js';

/** Everything one frame shows. */
export interface FrameView extends StatusView {
  /** The panels in the order of the channels given on the command line. */
  panels: readonly (ListPanel | MiningPanel)[];
  /** The latest diagnostic lines, shown at the bottom while the view covers the terminal. */
  messages: readonly string[];
}

/** How many diagnostic lines the bottom of the screen shows at most. */
const MESSAGE_LINES = 2;

/**
 * Lays out one frame for a terminal of `columns` × `rows`: the status line, then the panels one
 * above the other, the rows left shared among the list panels by `shareRows`, then the latest
 * diagnostics. Panels that do not fit with at least one row are left out, and a line at the bottom names them.
 * Every line returned is at most `columns` wide, and there are at most `rows` lines.
 */
export function composeFrame(view: FrameView, columns: number, rows: number, nowMs: number, colors: ChalkInstance): string[] {
  if (columns < 1 || rows < 1) {
    return [];
  }
  const lines = [statusLine(view, columns, nowMs, colors)];
  const messages = view.messages.slice(-MESSAGE_LINES).map((message) => colors.yellow(truncateEnd(message, columns)));
  const available = rows - lines.length - messages.length;

  const shown = choosePanels(view.panels, columns, available);
  const hidden = view.panels.length - shown.length;
  // One line is kept for the note that names the panels left out.
  const panelLines = hidden > 0 ? available - 1 : available;
  const listPanels = shown.filter((panel): panel is ListPanel => !isMining(panel));
  const fixed = shown.reduce((sum, panel) => sum + (isMining(panel) ? panel.height(columns) : LIST_PANEL_FRAME_LINES), 0);
  const rowCounts = shareRows(
    listPanels.map((panel) => panel.rows.size),
    panelLines - fixed,
  );

  for (const panel of shown) {
    const title = panelTitle(panel.channel, view.meters.get(panel.channel), nowMs);
    if (isMining(panel)) {
      lines.push(...panel.draw(title, columns, colors));
    } else {
      lines.push(...panel.draw(title, columns, rowCounts[listPanels.indexOf(panel)] ?? 1, nowMs, colors));
    }
  }

  if (hidden > 0 && lines.length < rows - messages.length) {
    const names = view.panels.filter((panel) => !shown.includes(panel)).map((panel) => panel.channel);
    lines.push(colors.yellow(truncateEnd(`${names.join(', ')}: no room (terminal ${columns}×${rows}); enlarge it to see them`, columns)));
  }
  lines.push(...messages);
  return lines.slice(0, rows).map((line) => guardWidth(line, columns));
}

/**
 * Chooses the panels that fit in `available` lines with at least one row each, keeping the command line's
 * order and leaving out panels from the end.
 */
function choosePanels(panels: readonly (ListPanel | MiningPanel)[], columns: number, available: number): (ListPanel | MiningPanel)[] {
  const shown = [...panels];
  while (shown.length > 0) {
    const room = shown.length < panels.length ? available - 1 : available;
    const needed = shown.reduce((sum, panel) => sum + (isMining(panel) ? panel.height(columns) : LIST_PANEL_FRAME_LINES + 1), 0);
    if (needed <= room) {
      return shown;
    }
    shown.pop();
  }
  return shown;
}

/**
 * Shares `total` rows among list panels that hold `stored` rows each: one row each first, then
 * one more at a time to each panel that has rows left to show, in turn. A quiet channel (a few
 * blocks) so leaves its room to a busy one (transactions), and rows that no panel needs stay blank.
 */
export function shareRows(stored: readonly number[], total: number): number[] {
  const given = stored.map(() => 1);
  let left = total - given.length;
  let progress = true;
  while (left > 0 && progress) {
    progress = false;
    for (let i = 0; i < given.length && left > 0; i++) {
      if ((given[i] ?? 0) < (stored[i] ?? 0)) {
        given[i] = (given[i] ?? 0) + 1;
        left--;
        progress = true;
      }
    }
  }
  return given;
}

/** Builds a panel's title from the channel, its count and its current rate, `mempool · 1,204 · 12/s`. */
function panelTitle(channel: string, meter: RateMeter | undefined, nowMs: number): string {
  if (meter === undefined) {
    return channel;
  }
  return `${channel} · ${groupThousands(String(meter.total))} · ${formatRate(meter.perSecond(nowMs))}`;
}

function isMining(panel: ListPanel | MiningPanel): panel is MiningPanel {
  return panel.channel === 'mining-info';
}

/**
 * Replaces a line that would wrap with a plain cut of it. Panels are laid out to fit, so this is
 * a last guard: a wrapped line would scroll the screen and garble every line below it.
 */
function guardWidth(line: string, columns: number): string {
  if (displayWidth(line) <= columns) {
    return line;
  }
  return truncateEnd(line.replace(/\u001b\[[0-9;]*m/g, ''), columns);
}
