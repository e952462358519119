import type { Argv, Options } from 'yargs';

import type { ExitReason } from '../exit-codes.js';

/**
 * One command of the table in index.ts. `builder` declares the options, so that `--help` needs no
 * more than this module. `run` loads the implementation lazily and returns the outcome; it never
 * calls process.exit itself.
 */
export interface CscwsCommand {
  command: string;
  aliases?: string[];
  describe: string;
  // yargs types each builder's result differently; the handler receives the parsed record.
  builder: (parser: Argv) => Argv<any>;
  run: (argv: Record<string, unknown>) => Promise<ExitReason>;
}

/**
 * Declares `table` on `parser` and makes every option that takes a value require one, so that
 * `--url` at the end of a line, or `--url $EMPTY`, is a usage error instead of a silent default.
 */
export function declareOptions(parser: Argv, table: Record<string, Options>): Argv {
  const takesValue = Object.entries(table)
    .filter(([, option]) => option.type === 'string' || option.type === 'number')
    .map(([name]) => name);
  return parser.options(table).requiresArg(takesValue);
}
