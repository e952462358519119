/**
 * The process exit codes of every cscws command: the single table from which the command layer
 * picks a code, `--help` prints its epilogue and the README's table is written.
 */
export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  usage: 2,
  connection: 3,
  auth: 4,
  subscription: 5,
  rateLimited: 6,
  timedOut: 7,
  interrupted: 130,
  terminated: 143,
} as const;

export type ExitReason = keyof typeof EXIT_CODES;

export const EXIT_CODE_MEANINGS: Readonly<Record<ExitReason, string>> = {
  ok: 'done: --count reached, --timeout elapsed without --count, the server closed normally (1000/1001) with --no-reconnect, or the reader closed the pipe',
  internal: 'internal error (a bug: please report it with the message)',
  usage: 'usage error: bad option, unknown channel, missing addresses',
  connection: 'connection failed or lost, with --no-reconnect or after --max-reconnects failed attempts',
  auth: 'authentication failed: the token was rejected, or a channel requires one',
  subscription: 'subscription rejected by the server',
  rateLimited: 'rate limited by the server, with --no-reconnect or after --max-reconnects failed attempts',
  timedOut: 'timed out: --timeout elapsed before --count was reached or --until-confirmed was met, --idle-timeout elapsed, or the server did not answer a request',
  interrupted: 'interrupted by Ctrl-C (SIGINT), or q in the live table',
  terminated: 'terminated by SIGTERM',
};

/** Renders the table for `--help`: one line a code. */
export function formatExitCodeTable(): string {
  return (Object.keys(EXIT_CODES) as ExitReason[])
    .map((reason) => `  ${String(EXIT_CODES[reason]).padStart(3)}  ${EXIT_CODE_MEANINGS[reason]}`)
    .join('\n');
}
