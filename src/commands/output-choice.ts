import { usageError } from '../errors.js';

export const OUTPUT_FORMATS = ['table', 'jsonl', 'text'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * Chooses the output format: the one requested, else the live table on a terminal and JSON lines into a
 * pipe or file. The table needs a terminal, so requesting it for a pipe or file is a usage error.
 */
export function chooseOutput(requested: string | undefined, stdoutIsTerminal: boolean): OutputFormat {
  if (requested === undefined) {
    return stdoutIsTerminal ? 'table' : 'jsonl';
  }
  if (requested === 'table' && !stdoutIsTerminal) {
    throw usageError(
      '--output table needs a terminal, but stdout is a pipe or a file',
      'Use --output jsonl (or text) when stdout is redirected, or run without the redirection to see the table.',
    );
  }
  return requested as OutputFormat;
}
