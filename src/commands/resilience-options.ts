import type { Options } from 'yargs';

/**
 * Options of `cscws subscribe` (and `cscws demo`) for a run that must survive dropped connections,
 * silent servers and duplicate or missing blocks. Spread into the command's option table.
 */
export const resilienceOptions = {
  reconnect: {
    type: 'boolean',
    default: true,
    describe: 'Reconnect after a dropped or refused connection, then authenticate and subscribe again (--no-reconnect: exit instead)',
  },
  'reconnect-delay': {
    type: 'number',
    default: 0.5,
    describe: 'Seconds of the first reconnect delay; it doubles on each failed attempt, with full jitter',
  },
  'reconnect-max-delay': {
    type: 'number',
    default: 30,
    describe: 'Largest reconnect delay in seconds',
  },
  'max-reconnects': {
    type: 'number',
    describe: 'Give up after this many failed reconnect attempts in a row (default: never give up)',
  },
  'ping-interval': {
    type: 'number',
    default: 15,
    describe: 'Seconds between WebSocket pings; 0 turns pings off',
  },
  'ping-timeout': {
    type: 'number',
    default: 10,
    describe: 'Seconds to wait for a pong (or any frame) after a ping before the connection counts as dead',
  },
  'idle-timeout': {
    type: 'number',
    describe: 'Seconds without any notification after which --on-idle applies (default: no limit)',
  },
  'on-idle': {
    type: 'string',
    choices: ['exit', 'reconnect'],
    default: 'exit',
    describe: 'What --idle-timeout does: exit with code 7, or drop the connection and reconnect',
  },
  dedupe: {
    type: 'boolean',
    default: true,
    describe: 'After a reconnect, skip notifications already written from an earlier connection (--no-dedupe: write them again)',
  },
  events: {
    type: 'boolean',
    default: false,
    describe: 'Also write block gaps, reorgs and reconnects to stdout, as lines with a "type" field (always warned about on stderr)',
  },
} as const satisfies Record<string, Options>;
