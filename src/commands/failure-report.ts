import { CscwsError } from '../errors.js';
import type { ExitReason } from '../exit-codes.js';
import { writeDiagnostic } from '../output/diagnostics.js';

/** Prints one clear message for a failure on stderr and returns the reason that sets the exit code. */
export function reportFailure(error: unknown): ExitReason {
  if (error instanceof CscwsError) {
    writeDiagnostic(`error: ${error.message}`);
    if (error.hint !== undefined) {
      // Later lines of a hint (an expression and a caret under its column) line up under the first.
      const [first, ...rest] = error.hint.split('\n');
      writeDiagnostic(`hint: ${first}`);
      rest.forEach((line) => writeDiagnostic(`      ${line}`));
    }
    return error.reason;
  }

  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  writeDiagnostic(`internal error: ${detail}`);
  writeDiagnostic('hint: this is a bug in cscws; please report it with the lines above.');
  return 'internal';
}
