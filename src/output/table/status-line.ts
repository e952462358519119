import type { ChalkInstance } from 'chalk';

import type { RunStatus } from '../notification-sink.js';
import { sanitizeForTerminal } from '../sanitize.js';
import { formatDuration, groupThousands } from './cell-format.js';
import { formatRate, type RateMeter } from './rate-meter.js';
import { displayWidth, truncateEnd } from './text-width.js';

/** The data behind the status line. `liveSinceMs` is when the connection last became live. */
export interface StatusView {
  url: string;
  status: RunStatus | undefined;
  liveSinceMs: number | undefined;
  /** When the current status arrived, in Date.now() milliseconds: the reconnect countdown starts there. */
  statusSinceMs: number | undefined;
  meters: ReadonlyMap<string, RateMeter>;
}

/**
 * Builds the status line, cut to `width`: the URL, the connection state and how long it has been live,
 * and the count and current rate of all channels together. Each panel's title carries its own
 * channel's count and rate.
 */
export function statusLine(view: StatusView, width: number, nowMs: number, colors: ChalkInstance): string {
  let total = 0;
  let perSecond = 0;
  for (const meter of view.meters.values()) {
    total += meter.total;
    perSecond += meter.perSecond(nowMs);
  }
  const noun = total === 1 ? 'notification' : 'notifications';
  return fitParts(
    [
      { text: sanitizeForTerminal(view.url) },
      describeState(view, nowMs),
      { text: `${groupThousands(String(total))} ${noun} · ${formatRate(perSecond)}` },
    ],
    width,
    colors,
  );
}

interface Part {
  text: string;
  color?: 'green' | 'yellow' | 'red';
}

/** Describes the state, coloured green when live, red when closed, yellow while on the way. */
function describeState(view: StatusView, nowMs: number): Part {
  const status = view.status;
  if (status === undefined) {
    return { text: 'starting…', color: 'yellow' };
  }
  switch (status.state) {
    case 'connecting':
      return { text: 'connecting…', color: 'yellow' };
    case 'authenticating':
      return { text: 'authenticating…', color: 'yellow' };
    case 'subscribing':
      return { text: `subscribing to ${status.channel}…`, color: 'yellow' };
    case 'live': {
      const since = view.liveSinceMs === undefined ? '' : ` for ${formatDuration(nowMs - view.liveSinceMs)}`;
      return { text: `live${since}`, color: 'green' };
    }
    case 'reconnecting': {
      const elapsed = view.statusSinceMs === undefined ? 0 : nowMs - view.statusSinceMs;
      const remainingSeconds = Math.max(0, Math.ceil((status.delayMs - elapsed) / 1000));
      return { text: `reconnecting in ${remainingSeconds}s (attempt ${status.attempt}): ${sanitizeForTerminal(status.cause)}`, color: 'yellow' };
    }
    case 'closed': {
      const reason = status.reason === '' ? '' : ` "${sanitizeForTerminal(status.reason)}"`;
      return { text: `closed by the server: code ${status.code}${reason}`, color: 'red' };
    }
    default:
      // A state added after this view was written: show its name, so nothing is hidden.
      return { text: sanitizeForTerminal(String((status as { state: unknown }).state)), color: 'yellow' };
  }
}

/** Joins parts with a separator, dropping what does not fit and marking the cut with `…`. */
function fitParts(parts: readonly Part[], width: number, colors: ChalkInstance): string {
  const separator = '  │  ';
  let plain = '';
  let styled = '';
  for (const [index, part] of parts.entries()) {
    const prefix = index === 0 ? '' : separator;
    const room = width - displayWidth(plain) - prefix.length;
    if (room <= 1) {
      return displayWidth(plain) < width ? `${styled}…` : styled;
    }
    const text = truncateEnd(part.text, room);
    plain += prefix + text;
    styled += colors.dim(prefix) + (part.color === undefined ? text : colors[part.color](text));
    if (text !== part.text) {
      break;
    }
  }
  return styled;
}
