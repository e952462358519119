import { usageError } from '../errors.js';
import { CHANNEL_NAMES, isChannelName, suggestChannel, type ChannelName } from '../protocol/channels.js';
import { planResilience, type ResiliencePlan } from './resilience-plan.js';
import type { SubscribeArguments } from './subscribe-command.js';

export type OutputFormat = 'jsonl' | 'text';

/** The settings of one `cscws subscribe`, checked in full before anything connects. */
export interface SubscribePlan {
  url: URL;
  token: string | undefined;
  channels: ChannelName[];
  addresses: string[];
  output: OutputFormat;
  count: number | undefined;
  timeoutMs: number | undefined;
  connectTimeoutMs: number;
  maxMessageSize: number;
  resilience: ResiliencePlan;
}

/** Checks the arguments of `cscws subscribe`; throws a usage CscwsError naming the first bad value. */
export function planSubscription(args: SubscribeArguments, stdoutIsTerminal: boolean): SubscribePlan {
  const channels = parseChannels(args.channel);
  const addresses = parseAddresses(args.address ?? []);

  if (channels.includes('address-transactions') && addresses.length === 0) {
    throw usageError(
      'address-transactions needs at least one address',
      'Pass --address ADDRESS (repeatable, or a comma-separated list).',
    );
  }
  if (!channels.includes('address-transactions') && addresses.length > 0) {
    throw usageError(
      '--address is only used by the address-transactions channel, which is not among the channels given',
      'Add address-transactions to the channels, or drop --address.',
    );
  }

  return {
    url: parseUrl(args.url),
    token: parseToken(args.token),
    channels,
    addresses,
    output: (args.output as OutputFormat | undefined) ?? (stdoutIsTerminal ? 'text' : 'jsonl'),
    count: args.count === undefined ? undefined : positiveInteger('--count', args.count),
    timeoutMs: args.timeout === undefined ? undefined : positiveSeconds('--timeout', args.timeout) * 1000,
    connectTimeoutMs: positiveSeconds('--connect-timeout', args['connect-timeout']) * 1000,
    maxMessageSize: positiveInteger('--max-message-size', args['max-message-size']),
    resilience: planResilience(args),
  };
}

function parseChannels(names: readonly string[]): ChannelName[] {
  const channels: ChannelName[] = [];
  for (const name of names) {
    if (!isChannelName(name)) {
      const suggestion = suggestChannel(name);
      const didYouMean = suggestion === undefined ? '' : `Did you mean ${suggestion}? `;
      throw usageError(`unknown channel "${name}"`, `${didYouMean}Channels: ${CHANNEL_NAMES.join(', ')}.`);
    }
    if (!channels.includes(name)) {
      channels.push(name);
    }
  }
  return channels;
}

/** Splits comma-separated lists, trims, and removes duplicates while keeping the first order. */
function parseAddresses(values: readonly (string | number)[]): string[] {
  const addresses = new Set<string>();
  for (const value of values) {
    for (const piece of String(value).split(',')) {
      const address = piece.trim();
      if (address !== '') {
        addresses.add(address);
      }
    }
  }
  return [...addresses];
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`invalid --url "${text}"`, 'Give a WebSocket URL such as ws://localhost:16181.');
  }

  if (url.protocol === 'http:' || url.protocol === 'https:') {
    const scheme = url.protocol === 'http:' ? 'ws' : 'wss';
    throw usageError(`--url "${text}" is an HTTP URL`, `Use ${scheme}://${url.host}${url.pathname === '/' ? '' : url.pathname}.`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw usageError(`--url "${text}" has the scheme ${url.protocol} where ws: or wss: is expected`, 'Give a URL such as ws://localhost:16181.');
  }
  return url;
}

function parseToken(token: string | undefined): string | undefined {
  if (token === undefined) {
    return undefined;
  }
  if (token.trim() === '') {
    // The value is empty, so naming it here leaks nothing.
    throw usageError('the token is empty', 'Pass a token with --token or CSCWS_TOKEN, or leave both unset.');
  }
  return token;
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw usageError(`${option} must be a whole number above 0, got ${String(value)}`);
  }
  return value;
}

function positiveSeconds(option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw usageError(`${option} must be a number of seconds above 0, got ${String(value)}`);
  }
  return value;
}
