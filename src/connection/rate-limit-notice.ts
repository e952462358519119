import { writeWarning } from '../output/diagnostics.js';

/** A `rate_limit_exceeded` error that matches no pending request, sent while the server drops notifications. */
export interface RateLimitEvent {
  /** The channel the error names; the documented error shape has none. */
  channel: string | undefined;
  message: string;
}

/** Minimum time between two warnings about the same channel, in milliseconds. */
const WARNING_INTERVAL_MS = 60_000;

/**
 * Warns on stderr when the server reports rate limiting, at most once a minute per channel. The
 * notices in between are counted, and the next warning includes the count.
 */
export class RateLimitNotice {
  private readonly lastWarnedAt = new Map<string, number>();
  private readonly unreported = new Map<string, number>();

  report(event: RateLimitEvent, now = Date.now()): void {
    const key = event.channel ?? '';
    const last = this.lastWarnedAt.get(key);
    if (last !== undefined && now - last < WARNING_INTERVAL_MS) {
      this.unreported.set(key, (this.unreported.get(key) ?? 0) + 1);
      return;
    }

    const since = this.unreported.get(key) ?? 0;
    this.lastWarnedAt.set(key, now);
    this.unreported.delete(key);
    const which = event.channel === undefined ? 'a subscribed channel (the server did not name it)' : `channel ${event.channel}`;
    const more = since === 0 ? '' : `; ${since} more such notice${since === 1 ? '' : 's'} since the last warning`;
    writeWarning(
      `the server is rate-limiting ${which} and may drop notifications beyond its limit (rate_limit_exceeded: ${event.message})${more}`,
    );
  }
}
