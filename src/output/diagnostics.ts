import { debuglog } from 'node:util';

import { redactSecrets } from './redact.js';
import { sanitizeForTerminal } from './sanitize.js';

/**
 * Detail that only matters when investigating, enabled with `NODE_DEBUG=cscws` or `--verbose`.
 * Callers must never pass a token.
 */
const nodeDebug = debuglog('cscws');
let verbose = false;

export function setVerbose(enabled: boolean): void {
  verbose = enabled;
}

export function isVerbose(): boolean {
  return verbose || nodeDebug.enabled;
}

/**
 * Writes one diagnostic line on stderr, prefixed with the program name. Control characters are
 * escaped, because messages may quote what the server sent (error messages, close reasons).
 */
export function writeDiagnostic(message: string): void {
  process.stderr.write(`cscws: ${sanitizeForTerminal(redactSecrets(message))}\n`);
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
