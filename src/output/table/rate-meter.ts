/** Seconds over which the current rate is averaged. */
const WINDOW_SECONDS = 10;

/**
 * Counts one channel's notifications and their current rate: the count of the last
 * `WINDOW_SECONDS` whole seconds, in one-second buckets, so memory does not grow with the rate.
 */
export class RateMeter {
  total = 0;
  private readonly buckets = new Array<number>(WINDOW_SECONDS).fill(0);
  private bucketSecond: number;
  private readonly startSecond: number;

  constructor(nowMs: number) {
    this.startSecond = Math.floor(nowMs / 1000);
    this.bucketSecond = this.startSecond;
  }

  add(nowMs: number): void {
    this.advance(nowMs);
    this.total++;
    const index = this.bucketSecond % WINDOW_SECONDS;
    this.buckets[index] = (this.buckets[index] ?? 0) + 1;
  }

  /** Notifications a second over the last whole seconds of the window (fewer right after the start). */
  perSecond(nowMs: number): number {
    this.advance(nowMs);
    const second = Math.floor(nowMs / 1000);
    const span = Math.min(WINDOW_SECONDS, Math.max(1, second - this.startSecond + 1));
    let sum = 0;
    for (let back = 0; back < span; back++) {
      sum += this.buckets[(second - back) % WINDOW_SECONDS] ?? 0;
    }
    return sum / span;
  }

  /** Empties the buckets of the seconds that passed since the last call. */
  private advance(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const passed = Math.min(WINDOW_SECONDS, second - this.bucketSecond);
    for (let step = 1; step <= passed; step++) {
      this.buckets[(this.bucketSecond + step) % WINDOW_SECONDS] = 0;
    }
    if (second > this.bucketSecond) {
      this.bucketSecond = second;
    }
  }
}

/** A rate for reading: `0/s`, `0.4/s`, `12/s`, `1,204/s`. */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) {
    return '0/s';
  }
  if (perSecond < 10) {
    return `${perSecond.toFixed(1)}/s`;
  }
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}
