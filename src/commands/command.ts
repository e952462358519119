import type { Argv } from 'yargs';

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
