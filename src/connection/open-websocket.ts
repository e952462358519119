import WebSocket from 'ws';

import { CscwsError } from '../errors.js';

export interface OpenOptions {
  /** Time allowed for TCP connect plus the HTTP upgrade, in milliseconds. */
  handshakeTimeoutMs: number;
  /** Largest frame accepted, in bytes; a larger one closes the connection with 1009. */
  maxPayload: number;
}

/**
 * Opens a WebSocket to `url` and resolves once the upgrade has succeeded. Rejects with a
 * CscwsError('connection') whose message names the URL and the cause.
 */
export function openWebSocket(url: URL, options: OpenOptions): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      handshakeTimeout: options.handshakeTimeoutMs,
      maxPayload: options.maxPayload,
      perMessageDeflate: true,
      // Validity is checked per frame by the session, so that one bad frame is skipped instead of
      // closing the connection with 1007.
      skipUTF8Validation: true,
    });

    const socketOnOpen = (): void => {
      socket.off('error', socketOnError);
      resolve(socket);
    };
    const socketOnError = (error: NodeJS.ErrnoException): void => {
      socket.off('open', socketOnOpen);
      socket.terminate();
      reject(describeOpenFailure(url, error));
    };

    socket.once('open', socketOnOpen);
    socket.once('error', socketOnError);
  });
}

function describeOpenFailure(url: URL, error: NodeJS.ErrnoException): CscwsError {
  const where = url.host;
  switch (error.code) {
    case 'ECONNREFUSED':
      return new CscwsError('connection', `connection to ${where} refused`, {
        hint: 'Is the node running with wsport set, and is the URL right? `cscws devnode` starts a local node.',
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
        ? 'The node refused this client address: check wsallowip in its cs.conf.'
        : 'Check that the URL points at the node’s WebSocket port.';
    return new CscwsError('connection', `${where} refused the WebSocket upgrade with HTTP ${status}`, { hint, cause: error });
  }
  return new CscwsError('connection', `connection to ${where} failed: ${error.message}`, { cause: error });
}
