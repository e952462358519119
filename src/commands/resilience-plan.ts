import { describeNumber, usageError } from '../errors.js';

/** Reconnect, keepalive and stream-check settings, checked before anything connects. */
export interface ResiliencePlan {
  reconnect: boolean;
  reconnectDelayMs: number;
  reconnectMaxDelayMs: number;
  /** Failed reconnect attempts in a row before the run gives up; undefined for no limit. */
  maxReconnects: number | undefined;
  /** 0 when pings are off. */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  idleTimeoutMs: number | undefined;
  onIdle: 'exit' | 'reconnect';
  dedupe: boolean;
  events: boolean;
}

/** The arguments that `resilienceOptions` adds, as yargs parses them. */
export interface ResilienceArguments {
  reconnect: boolean;
  'reconnect-delay': number;
  'reconnect-max-delay': number;
  'max-reconnects'?: number | undefined;
  'ping-interval': number;
  'ping-timeout': number;
  'idle-timeout'?: number | undefined;
  'on-idle': string;
  dedupe: boolean;
  events: boolean;
}

/** Checks the resilience options; throws a usage CscwsError naming the first bad value. */
export function planResilience(args: ResilienceArguments): ResiliencePlan {
  const reconnectDelayMs = seconds('--reconnect-delay', args['reconnect-delay'], false);
  const reconnectMaxDelayMs = seconds('--reconnect-max-delay', args['reconnect-max-delay'], false);
  if (reconnectMaxDelayMs < reconnectDelayMs) {
    throw usageError(
      `--reconnect-max-delay (${args['reconnect-max-delay']} s) is below --reconnect-delay (${args['reconnect-delay']} s)`,
      'Raise --reconnect-max-delay or lower --reconnect-delay.',
    );
  }

  const maxReconnects = args['max-reconnects'];
  if (maxReconnects !== undefined && (!Number.isSafeInteger(maxReconnects) || maxReconnects < 0)) {
    throw usageError(`--max-reconnects must be a whole number of 0 or more, got ${String(maxReconnects)}`);
  }

  return {
    reconnect: args.reconnect,
    reconnectDelayMs,
    reconnectMaxDelayMs,
    maxReconnects,
    pingIntervalMs: seconds('--ping-interval', args['ping-interval'], true),
    pingTimeoutMs: seconds('--ping-timeout', args['ping-timeout'], false),
    idleTimeoutMs: args['idle-timeout'] === undefined ? undefined : seconds('--idle-timeout', args['idle-timeout'], false),
    onIdle: args['on-idle'] === 'reconnect' ? 'reconnect' : 'exit',
    dedupe: args.dedupe,
    events: args.events,
  };
}

function seconds(option: string, value: number, zeroAllowed: boolean): number {
  const valid = Number.isFinite(value) && (zeroAllowed ? value >= 0 : value > 0);
  if (!valid) {
    throw usageError(`${option} must be a number of seconds ${zeroAllowed ? 'of 0 or more' : 'above 0'}, got ${describeNumber(value)}`);
  }
  return value * 1000;
}
