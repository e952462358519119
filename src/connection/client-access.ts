import type { Agent } from 'node:http';

import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

/** Proxy choice of a connection. */
export type ProxySetting =
  /** HTTPS_PROXY for wss://, HTTP_PROXY for ws://, ALL_PROXY for both; NO_PROXY exempts hosts. */
  | { kind: 'environment' }
  /** --proxy URL, which overrides the environment. */
  | { kind: 'url'; url: URL }
  /** No proxy at all, also when the environment names one. */
  | { kind: 'direct' };

/** Connection settings beyond the URL: TLS material, proxy, headers, local address. */
export interface ClientAccess {
  /** PEM of the CA that signed the node's certificate, in place of the system's CAs. */
  ca?: Buffer;
  /** PEM client certificate and its key, for a node that requires one. */
  cert?: Buffer;
  key?: Buffer;
  /** False only with --insecure. */
  rejectUnauthorized: boolean;
  proxy: ProxySetting;
  /** Extra headers of the upgrade request. Values may be secrets and are never logged. */
  headers: Record<string, string>;
  localAddress?: string;
}

export const ENVIRONMENT_ACCESS: ClientAccess = {
  rejectUnauthorized: true,
  proxy: { kind: 'environment' },
  headers: {},
};

let processAccess: ClientAccess = ENVIRONMENT_ACCESS;

/**
 * Sets the access used by every openWebSocket call that passes none. The command sets it once
 * from its arguments, before the run connects for the first time.
 */
export function setProcessAccess(access: ClientAccess): void {
  processAccess = access;
}

export function getProcessAccess(): ClientAccess {
  return processAccess;
}

/** Returns the proxy URL for a connection to `target`, or undefined for a direct connection. */
export function resolveProxy(target: URL, setting: ProxySetting): URL | undefined {
  switch (setting.kind) {
    case 'direct':
      return undefined;
    case 'url':
      return setting.url;
    case 'environment': {
      // The proxy variables are named after HTTP schemes; ws:// is HTTP and wss:// is HTTPS
      // until the upgrade, so their variables apply.
      const asHttp = new URL(target.href);
      asHttp.protocol = target.protocol === 'wss:' ? 'https:' : 'http:';
      const proxy = getProxyForUrl(asHttp);
      return proxy === '' ? undefined : new URL(proxy);
    }
  }
}

/**
 * Builds the agent that tunnels through `proxy` with HTTP CONNECT, for ws:// and wss:// alike.
 * Over wss the proxy learns only the host and port; over ws it can read the tunnelled traffic.
 */
export function createProxyAgent(proxy: URL): Agent {
  return new HttpsProxyAgent(proxy, { keepAlive: false });
}

/** Shows a proxy URL without its user name and password, for logs and messages. */
export function describeProxy(proxy: URL): string {
  const credentials = proxy.username !== '' || proxy.password !== '' ? '***@' : '';
  return `${proxy.protocol}//${credentials}${proxy.host}`;
}
