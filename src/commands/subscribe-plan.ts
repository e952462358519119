import type { ClientAccess } from '../connection/client-access.js';
import { describeNumber, usageError } from '../errors.js';
import { CHANNEL_NAMES, isChannelName, suggestChannel, type ChannelName } from '../protocol/channels.js';
import { planAccess } from './access-plan.js';
import { checkAddressList, type ListedAddress } from './address-sources.js';
import type { OptionSources } from './option-sources.js';
import { chooseOutput, type OutputFormat } from './output-choice.js';
import { planResilience, type ResiliencePlan } from './resilience-plan.js';
import type { SubscribeArguments } from './subscribe-command.js';

export type { OutputFormat } from './output-choice.js';

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
  /** TLS material, proxy, headers and local address for every connection of the run. */
  access: ClientAccess;
  resilience: ResiliencePlan;
}

/**
 * Checks the arguments of `cscws subscribe`, with the addresses that readAddressSources gathered
 * and the source of each option (for the access settings); throws a usage CscwsError naming the
 * first bad value.
 */
export function planSubscription(
  args: SubscribeArguments,
  stdoutIsTerminal: boolean,
  listedAddresses: readonly ListedAddress[],
  sources: OptionSources,
): SubscribePlan {
  const channels = parseChannels(args.channel);

  if (channels.includes('address-transactions') && listedAddresses.length === 0) {
    throw usageError(
      'address-transactions needs at least one address',
      'Pass --address ADDRESS (repeatable, or a comma-separated list), or --addresses-file PATH.',
    );
  }
  if (!channels.includes('address-transactions') && listedAddresses.length > 0) {
    throw usageError(
      '--address is only used by the address-transactions channel, which is not among the channels given',
      'Add address-transactions to the channels, or drop --address and --addresses-file.',
    );
  }
  const addresses = checkAddressList(listedAddresses, args['address-check']);

  const access = planAccess(args, sources);
  return {
    url: access.url ?? parseUrl(args.url),
    token: access.token,
    channels,
    addresses,
    output: chooseOutput(args.output, stdoutIsTerminal),
    count: args.count === undefined ? undefined : positiveInteger('--count', args.count),
    timeoutMs: args.timeout === undefined ? undefined : positiveSeconds('--timeout', args.timeout) * 1000,
    connectTimeoutMs: positiveSeconds('--connect-timeout', args['connect-timeout']) * 1000,
    maxMessageSize: positiveInteger('--max-message-size', args['max-message-size']),
    access: access.access,
    resilience: planResilience(args),
  };
}

/** Checks channel names against the catalogue, removing repeats; throws a usage error with a suggestion. */
export function parseChannels(names: readonly string[]): ChannelName[] {
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

function parseUrl(text: string): URL {
  if (!text.includes('://')) {
    throw usageError(`--url "${text}" has no scheme`, `Use ws://${text} (or wss:// for TLS).`);
  }
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

function positiveInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw usageError(`${option} must be a whole number above 0, got ${describeNumber(value)}`);
  }
  return value;
}

function positiveSeconds(option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw usageError(`${option} must be a number of seconds above 0, got ${describeNumber(value)}`);
  }
  return value;
}
