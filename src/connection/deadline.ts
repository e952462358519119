import { performance } from 'node:perf_hooks';

/**
 * Calls `onExpired` once `limitMs` pass with no `touch()`. Cheap to touch on every frame: it only
 * stores a time, and the timer re-arms itself for the remainder when it fires early.
 *
 * When the timer fires, the verdict waits for `setImmediate`, which runs after the event loop has
 * polled the sockets. A process blocked for a while (a synchronous write to stdout, a long
 * garbage collection) therefore reads the frames that arrived meanwhile before it decides that
 * nothing came.
 */
export class Deadline {
  private lastTouchAt = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly limitMs: number,
    private readonly onExpired: () => void,
  ) {}

  /** Starts (or restarts) the countdown from now. */
  start(): void {
    this.stopped = false;
    this.touch();
    this.arm(this.limitMs);
  }

  touch(): void {
    this.lastTouchAt = performance.now();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => setImmediate(() => this.check()), Math.max(1, delayMs));
  }

  private check(): void {
    if (this.stopped) {
      return;
    }
    const quietMs = performance.now() - this.lastTouchAt;
    if (quietMs >= this.limitMs) {
      this.stop();
      this.onExpired();
    } else {
      this.arm(this.limitMs - quietMs);
    }
  }
}
