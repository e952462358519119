import { writeWarning } from './diagnostics.js';

/**
 * Prints the first `limit` warnings of one kind and counts the rest, so that a flood of bad frames
 * shows as a count instead of a flood. `summary()` reports how many were not printed.
 */
export class WarningLimiter {
  private seen = 0;

  constructor(
    private readonly what: string,
    private readonly limit = 5,
  ) {}

  warn(message: string): void {
    this.seen++;
    if (this.seen <= this.limit) {
      writeWarning(message);
      if (this.seen === this.limit) {
        writeWarning(`further ${this.what} are counted, not shown`);
      }
    }
  }

  summary(): void {
    if (this.seen > this.limit) {
      writeWarning(`${this.seen} ${this.what} in all, ${this.seen - this.limit} not shown`);
    }
  }
}
