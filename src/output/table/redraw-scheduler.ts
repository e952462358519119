/** Shortest time between two redraws: at most 10 frames a second, however fast data arrives. */
export const MIN_REDRAW_INTERVAL_MS = 100;

/** Time between redraws when nothing arrives, so ages and the time live keep counting. */
const TICK_MS = 1000;

/**
 * Coalesces redraw requests: any number of `request` calls within one interval give one redraw, at
 * the earliest `MIN_REDRAW_INTERVAL_MS` after the previous one. While `hold` is set (the terminal
 * is not taking output fast enough) redraws wait, and one redraw follows `release`.
 */
export class RedrawScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private lastDrawMs = Number.NEGATIVE_INFINITY;
  private held = false;
  private wanted = false;
  private stopped = false;

  constructor(private readonly redraw: () => void) {}

  /** Starts the once-a-second redraw. */
  start(): void {
    this.ticker ??= setInterval(() => this.request(), TICK_MS).unref();
  }

  request(): void {
    if (this.stopped) {
      return;
    }
    this.wanted = true;
    if (this.timer !== undefined || this.held) {
      return;
    }
    const wait = Math.max(0, this.lastDrawMs + MIN_REDRAW_INTERVAL_MS - performance.now());
    this.timer = setTimeout(() => this.fire(), wait);
    this.timer.unref();
  }

  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    if (this.wanted) {
      this.request();
    }
  }

  /** Cancels every pending redraw; later requests are ignored. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.ticker);
    this.timer = undefined;
    this.ticker = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped || this.held) {
      return;
    }
    this.wanted = false;
    this.lastDrawMs = performance.now();
    this.redraw();
  }
}
