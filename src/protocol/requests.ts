import type { ChannelName } from './channels.js';

export interface SubscribeParams {
  addresses?: string[];
}

export interface SubscribeRequest {
  action: 'subscribe';
  channel: ChannelName;
  params?: SubscribeParams;
}

export interface UnsubscribeRequest {
  action: 'unsubscribe';
  channel: ChannelName;
  params?: SubscribeParams;
}

export interface AuthRequest {
  action: 'auth';
  token: string;
}

export type Request = SubscribeRequest | UnsubscribeRequest | AuthRequest;

export function subscribeRequest(channel: ChannelName, addresses?: readonly string[]): SubscribeRequest {
  return addresses === undefined
    ? { action: 'subscribe', channel }
    : { action: 'subscribe', channel, params: { addresses: [...addresses] } };
}

/** Builds an unsubscribe; for address-transactions, omitting `addresses` removes every watched address. */
export function unsubscribeRequest(channel: ChannelName, addresses?: readonly string[]): UnsubscribeRequest {
  return addresses === undefined
    ? { action: 'unsubscribe', channel }
    : { action: 'unsubscribe', channel, params: { addresses: [...addresses] } };
}

export function authRequest(token: string): AuthRequest {
  return { action: 'auth', token };
}

export function encodeRequest(request: Request): string {
  return JSON.stringify(request);
}

/** Describes a request for logs and error messages. Never includes the token of an auth request. */
export function describeRequest(request: Request): string {
  if (request.action === 'auth') {
    return 'auth';
  }
  const count = request.params?.addresses?.length;
  return count === undefined
    ? `${request.action} ${request.channel}`
    : `${request.action} ${request.channel} (${count} address${count === 1 ? '' : 'es'})`;
}
