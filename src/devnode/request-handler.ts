import { CHANNEL_NAMES, isChannelName, type ChannelName } from '../protocol/channels.js';
import { INVALID_REQUEST } from '../protocol/error-codes.js';
import { sanitizeForTerminal } from '../output/sanitize.js';
import type { AccessPolicy } from './access.js';
import type { DevnodeConnection } from './connection.js';
import type { NotificationHub } from './hub.js';

export interface RequestContext {
  hub: NotificationHub;
  access: AccessPolicy;
  maxWatchedAddresses: number;
  /** Called after every successful subscribe, so that the server can start the replay on the first. */
  onSubscribed: () => void;
  /** Logs one event of a connection, or does nothing when the server runs quiet. */
  logEvent: (connection: DevnodeConnection, line: string) => void;
}

type ErrorCode = 'invalid_channel' | 'invalid_params' | 'auth_required' | 'rate_limit_exceeded' | typeof INVALID_REQUEST;

/** Error responses logged per connection; later ones are only counted, so a flood stays readable. */
const MAX_LOGGED_ERRORS = 20;

const CHANNEL_LIST = CHANNEL_NAMES.join(', ');

/**
 * Handles one text frame from a client: validates it as a request, applies it to the
 * connection's state and returns the response to send back.
 */
export function handleRequestText(connection: DevnodeConnection, text: string, context: RequestContext): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return answerError(
      connection,
      context,
      INVALID_REQUEST,
      `Request is not valid JSON (${detail}); send one JSON object per text frame`,
    );
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return answerError(
      connection,
      context,
      INVALID_REQUEST,
      `Request must be a JSON object, not ${describeJsonType(value)}`,
    );
  }
  const request = value as Record<string, unknown>;

  switch (request.action) {
    case 'auth':
      return handleAuth(connection, request, context);
    case 'subscribe':
    case 'unsubscribe':
      return handleSubscription(connection, request.action, request, context);
    case undefined:
      return answerError(
        connection,
        context,
        INVALID_REQUEST,
        'Request is missing "action"; use subscribe, unsubscribe or auth',
      );
    default:
      return answerError(
        connection,
        context,
        INVALID_REQUEST,
        `Action ${quote(request.action)} is unknown; use subscribe, unsubscribe or auth`,
      );
  }
}

/**
 * Builds an error response in the documented shape, with `channel` added when the request named
 * one, and logs it.
 */
export function answerError(
  connection: DevnodeConnection,
  context: RequestContext,
  code: ErrorCode,
  message: string,
  channel?: string,
): string {
  connection.errorsAnswered++;
  if (connection.errorsAnswered <= MAX_LOGGED_ERRORS) {
    context.logEvent(connection, `error ${code}: ${forLog(message)}`);
  } else if (connection.errorsAnswered === MAX_LOGGED_ERRORS + 1) {
    context.logEvent(connection, `more than ${MAX_LOGGED_ERRORS} errors; further ones are counted and reported at close`);
  }

  return JSON.stringify(
    channel === undefined
      ? { status: 'error', error: { code, message } }
      : { status: 'error', channel, error: { code, message } },
  );
}

function handleAuth(connection: DevnodeConnection, request: Record<string, unknown>, context: RequestContext): string {
  if (typeof request.token !== 'string') {
    return answerError(
      connection,
      context,
      'invalid_params',
      'Auth request is missing "token" or it is not a string; send {"action":"auth","token":"..."}',
    );
  }

  if (!context.access.acceptsToken(request.token)) {
    // An earlier successful auth stays in force: a failed attempt does not revoke it.
    return answerError(
      connection,
      context,
      'auth_required',
      'Token is invalid; send an auth request with one of the tokens the devnode was started with',
    );
  }

  connection.authenticated = true;
  context.logEvent(connection, context.access.requiresToken ? 'auth accepted' : 'auth accepted (no tokens configured)');
  return JSON.stringify({ status: 'success', data: { action: 'auth', authenticated: true } });
}

function handleSubscription(
  connection: DevnodeConnection,
  action: 'subscribe' | 'unsubscribe',
  request: Record<string, unknown>,
  context: RequestContext,
): string {
  const channel = request.channel;
  if (channel === undefined) {
    return answerError(
      connection,
      context,
      'invalid_channel',
      `Request is missing "channel"; use one of: ${CHANNEL_LIST}`,
    );
  }
  if (typeof channel !== 'string') {
    return answerError(
      connection,
      context,
      'invalid_channel',
      `"channel" is not a string; use one of: ${CHANNEL_LIST}`,
    );
  }
  if (!isChannelName(channel)) {
    return answerError(
      connection,
      context,
      'invalid_channel',
      `Channel '${channel}' does not exist`,
      channel,
    );
  }

  if (action === 'subscribe' && context.access.isPrivate(channel) && !connection.authenticated) {
    return answerError(
      connection,
      context,
      'auth_required',
      `Channel '${channel}' requires authentication; send {"action":"auth","token":"..."} first`,
      channel,
    );
  }

  const params = request.params;
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    return answerError(
      connection,
      context,
      'invalid_params',
      `"params" must be an object, not ${describeJsonType(params)}`,
      channel,
    );
  }
  const addresses = (params as Record<string, unknown> | undefined)?.addresses;

  if (channel === 'address-transactions') {
    return action === 'subscribe'
      ? subscribeAddresses(connection, addresses, context)
      : unsubscribeAddresses(connection, addresses, context);
  }

  if (action === 'subscribe') {
    context.hub.subscribe(connection, channel);
    context.logEvent(connection, `subscribe ${channel}`);
    context.onSubscribed();
  } else {
    context.hub.unsubscribe(connection, channel);
    context.logEvent(connection, `unsubscribe ${channel}`);
  }
  return success(channel, { action });
}

function subscribeAddresses(connection: DevnodeConnection, addresses: unknown, context: RequestContext): string {
  const channel: ChannelName = 'address-transactions';
  if (addresses === undefined) {
    return answerError(
      connection,
      context,
      'invalid_params',
      'address-transactions is missing "params.addresses", a non-empty array of address strings',
      channel,
    );
  }
  const problem = findAddressListProblem(addresses);
  if (problem !== undefined) {
    return answerError(connection, context, 'invalid_params', problem, channel);
  }

  const list = addresses as string[];
  const added = new Set(list.filter((address) => !connection.watchedAddresses.has(address)));
  const total = connection.watchedAddresses.size + added.size;
  if (total > context.maxWatchedAddresses) {
    return answerError(
      connection,
      context,
      'invalid_params',
      `Subscribing would watch ${total} addresses, over the limit of ${context.maxWatchedAddresses} per connection; ` +
        'unsubscribe from some addresses first',
      channel,
    );
  }

  context.hub.watchAddresses(connection, [...added]);
  const watched = connection.watchedAddresses.size;
  context.logEvent(connection, `subscribe ${channel}: ${added.size} added, ${watched} watched`);
  context.onSubscribed();
  return success(channel, { action: 'subscribe', watchedAddresses: watched });
}

/** Removes the given addresses, or every watched address (and so the channel) when none is given. */
function unsubscribeAddresses(connection: DevnodeConnection, addresses: unknown, context: RequestContext): string {
  const channel: ChannelName = 'address-transactions';
  const before = connection.watchedAddresses.size;

  if (addresses === undefined) {
    context.hub.unsubscribe(connection, channel);
  } else {
    const problem = findAddressListProblem(addresses);
    if (problem !== undefined) {
      return answerError(connection, context, 'invalid_params', problem, channel);
    }
    context.hub.unwatchAddresses(connection, addresses as string[]);
  }

  const watched = connection.watchedAddresses.size;
  context.logEvent(connection, `unsubscribe ${channel}: ${before - watched} removed, ${watched} watched`);
  return success(channel, { action: 'unsubscribe', watchedAddresses: watched });
}

/**
 * Returns what is wrong with `params.addresses`, or undefined when it is a non-empty array of
 * non-empty strings. Any such string is accepted as an address, including the documentation's
 * placeholder, whose bech32 checksum is wrong.
 */
function findAddressListProblem(addresses: unknown): string | undefined {
  if (!Array.isArray(addresses)) {
    return `"params.addresses" must be an array of address strings, not ${describeJsonType(addresses)}`;
  }
  if (addresses.length === 0) {
    return '"params.addresses" is empty; name at least one address';
  }
  const bad = addresses.findIndex((address) => typeof address !== 'string' || address === '');
  if (bad !== -1) {
    return `"params.addresses[${bad}]" is ${describeJsonType(addresses[bad])}, expected a non-empty address string`;
  }
  return undefined;
}

function success(channel: ChannelName, data: Record<string, unknown>): string {
  return JSON.stringify({ status: 'success', channel, data });
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/**
 * Shows a client-supplied value in a message: a string quoted, anything else as JSON, cut to 64
 * characters so that a huge value stays readable.
 */
function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const cut = text.length > 64 ? `${text.slice(0, 64)}…` : text;
  return typeof value === 'string' ? JSON.stringify(cut) : cut;
}

/** Makes client-supplied text in a log line safe for a terminal and at most 200 characters long. */
function forLog(text: string): string {
  const safe = sanitizeForTerminal(text);
  return safe.length > 200 ? `${safe.slice(0, 200)}…` : safe;
}
