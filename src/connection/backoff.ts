/**
 * Reconnect delays: exponential backoff with full jitter. Attempt n (from 1) waits a uniformly
 * random time in [0, min(max, initial · 2^(n-1))], so that many clients dropped at the same moment
 * do not all come back at the same moment.
 */
export class Backoff {
  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The upper bound of the delay before attempt `attempt` (1-based), in milliseconds. */
  ceiling(attempt: number): number {
    // 2^(attempt-1) overflows to Infinity for huge attempts, which Math.min caps.
    return Math.min(this.maxMs, this.initialMs * 2 ** Math.max(0, attempt - 1));
  }

  /** The delay before attempt `attempt` (1-based), in milliseconds. */
  delay(attempt: number): number {
    return this.random() * this.ceiling(attempt);
  }

  /**
   * The delay after the server answered `rate_limit_exceeded`: between half the maximum and the
   * maximum, so that a rate-limited client never comes straight back.
   */
  slowDownDelay(): number {
    return this.maxMs / 2 + (this.random() * this.maxMs) / 2;
  }
}
