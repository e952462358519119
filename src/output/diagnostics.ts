import { debuglog } from 'node:util';

import { colorsFor } from './color-policy.js';
import { redactSecrets } from './redact.js';
import { sanitizeForTerminal } from './sanitize.js';

/**
 * Detail that only matters when investigating, enabled with `NODE_DEBUG=cscws` or `--verbose`.
 * Callers must never pass a token.
 */
const nodeDebug = debuglog('cscws');
let verbose = false;
let redirect: ((line: string) => void) | undefined;

export function setVerbose(enabled: boolean): void {
  verbose = enabled;
}

export function isVerbose(): boolean {
  return verbose || nodeDebug.enabled;
}

/**
 * Writes a diagnostic on stderr, each line prefixed with the program name. Other control
 * characters are escaped, because messages may quote what the server sent (error messages, close
 * reasons); a line break stays a line break.
 */
export function writeDiagnostic(message: string): void {
  for (const part of message.split('\n')) {
    const line = `cscws: ${sanitizeForTerminal(redactSecrets(part))}`;
    if (redirect === undefined) {
      writeDiagnosticLine(line);
    } else {
      redirect(line);
    }
  }
}

/**
 * Sends diagnostic lines to `target` instead of stderr, such as into the live table while it
 * covers the terminal; `undefined` sends them to stderr again.
 */
export function redirectDiagnostics(target: ((line: string) => void) | undefined): void {
  redirect = target;
}

/** Writes an already sanitised diagnostic line on stderr, its label coloured when colour is on. */
export function writeDiagnosticLine(line: string): void {
  const colors = colorsFor('stderr');
  const colored = line.replace(/^cscws: (error|internal error|warning|hint):/u, (_match, label: string) => {
    let paint = colors.red;
    if (label === 'hint') {
      paint = colors.cyan;
    } else if (label === 'warning') {
      paint = colors.yellow;
    }
    return `cscws: ${paint.bold(label)}:`;
  });
  process.stderr.write(`${colored}
`);
}

export function writeWarning(message: string): void {
  writeDiagnostic(`warning: ${message}`);
}

export function writeDebug(message: string): void {
  if (verbose) {
    writeDiagnostic(message);
  } else {
    nodeDebug(redactSecrets(message));
  }
}
