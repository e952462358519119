import WebSocket from 'ws';

import { CscwsError } from '../errors.js';
import { writeDebug, writeWarning } from '../output/diagnostics.js';
import { createProxyAgent, describeProxy, getProcessAccess, resolveProxy, type ClientAccess } from './client-access.js';
import { describeTlsFailure } from './tls-errors.js';

export interface OpenOptions {
  /** Time allowed for TCP connect plus the HTTP upgrade, in milliseconds. */
  handshakeTimeoutMs: number;
  /** Largest frame accepted, in bytes; a larger one closes the connection with 1009. */
  maxPayload: number;
  /** TLS, proxy, headers and local address; the process-wide access set by the command when absent. */
  access?: ClientAccess;
}

/**
 * Opens a WebSocket to `url` and resolves once the upgrade has succeeded. Rejects with a
 * CscwsError('connection') whose message names the URL and the cause.
 */
export function openWebSocket(url: URL, options: OpenOptions): Promise<WebSocket> {
  const access = options.access ?? getProcessAccess();
  const proxy = resolveProxy(url, access.proxy);
  if (proxy !== undefined) {
    writeDebug(`connecting through the proxy ${describeProxy(proxy)}`);
  }
  if (url.protocol === 'wss:' && !access.rejectUnauthorized) {
    writeWarning(`--insecure: the certificate of ${url.host} is not verified, so anyone on the path can read and change the traffic, the token included`);
  }

  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      handshakeTimeout: options.handshakeTimeoutMs,
      maxPayload: options.maxPayload,
      perMessageDeflate: true,
      // Validity is checked per frame by the session, so that one bad frame is skipped instead of
      // closing the connection with 1007.
      skipUTF8Validation: true,
      headers: access.headers,
      rejectUnauthorized: access.rejectUnauthorized,
      ...(access.ca === undefined ? {} : { ca: access.ca }),
      ...(access.cert === undefined ? {} : { cert: access.cert }),
      ...(access.key === undefined ? {} : { key: access.key }),
      ...(access.localAddress === undefined ? {} : { localAddress: access.localAddress }),
      ...(proxy === undefined ? {} : { agent: createProxyAgent(proxy) }),
    });

    const socketOnOpen = (): void => {
      socket.off('error', socketOnError);
      resolve(socket);
    };
    const socketOnError = (error: NodeJS.ErrnoException): void => {
      socket.off('open', socketOnOpen);
      socket.terminate();
      reject(describeTlsFailure(url, error) ?? describeOpenFailure(url, error, proxy));
    };

    socket.once('open', socketOnOpen);
    socket.once('error', socketOnError);
  });
}

function describeOpenFailure(url: URL, error: NodeJS.ErrnoException, proxy: URL | undefined): CscwsError {
  const where = url.host;
  if (proxy !== undefined) {
    const failure = describeProxyFailure(url, error, proxy);
    if (failure !== undefined) {
      return failure;
    }
  }
  switch (error.code) {
    case 'ECONNREFUSED':
      return new CscwsError('connection', `connection to ${where} refused`, {
        hint: 'Is the node running with its WebSocket port open (wsport in its cs.conf), and is the URL right? `cscws devnode` starts a local node.',
        cause: error,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CscwsError('connection', `host ${url.hostname} not found`, { hint: 'Check the host in --url.', cause: error });
    case 'ETIMEDOUT':
    case 'ECONNRESET':
      return new CscwsError('connection', `connection to ${where} failed: ${error.message}`, { cause: error });
    default:
      break;
  }

  if (error.message.startsWith('Opening handshake has timed out')) {
    return new CscwsError('connection', `no WebSocket handshake from ${where} within the connect timeout`, {
      hint: 'Raise --connect-timeout, or check that the URL points at the node’s WebSocket port.',
      cause: error,
    });
  }
  if (error.message.startsWith('Unexpected server response')) {
    const status = error.message.replace('Unexpected server response: ', '');
    const hint =
      status === '403'
        ? 'The node refused this client address: check wsallowip in its cs.conf, or the API key a gateway expects (-H).'
        : 'Check that the URL points at the node’s WebSocket port.';
    if (proxy !== undefined) {
      return new CscwsError('connection', `${where} or the proxy ${describeProxy(proxy)} refused the WebSocket upgrade with HTTP ${status}`, {
        hint: `${hint} A proxy that refuses CONNECT answers with its own status; NO_PROXY or --proxy change the route.`,
        cause: error,
      });
    }
    return new CscwsError('connection', `${where} refused the WebSocket upgrade with HTTP ${status}`, { hint, cause: error });
  }
  return new CscwsError('connection', `connection to ${where} failed: ${error.message}`, { cause: error });
}

/** Failures that come from the proxy, not from the node: they name the proxy, without credentials. */
function describeProxyFailure(url: URL, error: NodeJS.ErrnoException, proxy: URL): CscwsError | undefined {
  const shown = describeProxy(proxy);
  const hint = 'Check --proxy, or HTTPS_PROXY / HTTP_PROXY; add the node to NO_PROXY to connect directly.';
  if (error.code === 'ECONNREFUSED' && error.message.includes(`:${proxy.port}`)) {
    return new CscwsError('connection', `connection to the proxy ${shown} refused`, { hint, cause: error });
  }
  if (error.code === 'ENOTFOUND' && error.message.includes(proxy.hostname)) {
    return new CscwsError('connection', `proxy host ${proxy.hostname} not found`, { hint, cause: error });
  }
  return undefined;
}
