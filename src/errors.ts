import type { ExitReason } from './exit-codes.js';

/**
 * An expected failure with a stable reason. Library code throws it; the command layer prints
 * `message` (and `hint`) once on stderr and exits with the code of `reason`.
 */
export class CscwsError extends Error {
  readonly reason: ExitReason;
  readonly hint: string | undefined;

  constructor(reason: ExitReason, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CscwsError';
    this.reason = reason;
    this.hint = options.hint;
  }
}

export function usageError(message: string, hint?: string): CscwsError {
  return new CscwsError('usage', message, hint === undefined ? {} : { hint });
}

/** Shows an option's number for a usage error; yargs turns text that is not a number into NaN. */
export function describeNumber(value: number): string {
  return Number.isNaN(value) ? 'a value that is not a number' : String(value);
}

export function isCscwsError(error: unknown): error is CscwsError {
  return error instanceof CscwsError;
}
