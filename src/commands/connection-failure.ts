import { ServerRejection } from '../connection/server-rejection.js';
import type { ClosedBy } from '../connection/session.js';
import { isTlsFailure } from '../connection/tls-errors.js';
import { CscwsError } from '../errors.js';
import { explainRejection } from './rejection-errors.js';

/**
 * The failure of one connection, and whether another connection could fix it. `error` is the
 * error the run ends with when it does not (or no longer may) reconnect.
 */
export interface ConnectionFailure {
  /** One line for stderr: what happened, with the close code and reason where there are any. */
  cause: string;
  retryable: boolean;
  /** True after a rate_limit_exceeded response, so the next attempt waits long. */
  slowDown: boolean;
  error: unknown;
}

/**
 * Describes a failure while connecting, authenticating or subscribing. A refused or dropped
 * connection, an unanswered request and a rate limit may go away on the next connection. A
 * rejected token or subscription, an HTTP 4xx response to the upgrade and a certificate that fails
 * verification would fail again, so they end the run as on the first try.
 */
export function describeEstablishFailure(error: unknown, addresses: readonly string[]): ConnectionFailure {
  if (error instanceof ServerRejection) {
    const explained = explainRejection(error, addresses);
    const rateLimited = error.code === 'rate_limit_exceeded';
    return { cause: explained.message, retryable: rateLimited, slowDown: rateLimited, error: explained };
  }
  if (error instanceof CscwsError && (error.reason === 'connection' || error.reason === 'timedOut')) {
    const status = upgradeStatus(error);
    if (status === 429) {
      return { cause: error.message, retryable: true, slowDown: true, error };
    }
    // Any other 4xx (403 from wsallowip, 404 for a wrong path) would come back the same on every
    // attempt. A 5xx from a proxy in front of a restarting node may not.
    const permanent = (status !== undefined && status >= 400 && status < 500 && status !== 408) || isTlsFailure(error.cause);
    return { cause: error.message, retryable: !permanent, slowDown: false, error };
  }
  return { cause: String(error), retryable: false, slowDown: false, error };
}

/**
 * Describes the end of a connection that was subscribed, from its close code, reason and initiator.
 * `rateLimited` is true when the server sent `rate_limit_exceeded` on it, which slows the reconnect.
 */
export function describeConnectionLoss(host: string, code: number, reason: string, closedBy: ClosedBy, rateLimited: boolean): ConnectionFailure {
  let cause: string;
  if (closedBy === 'failed-check') {
    cause = `dropped the connection to ${host}: ${reason}`;
  } else if (code === 1006) {
    cause = `connection to ${host} lost without a close frame`;
  } else {
    cause = `connection to ${host} closed by the server (code ${code}${reason === '' ? '' : `, reason "${reason}"`})`;
  }
  if (rateLimited) {
    cause += ' after it sent rate_limit_exceeded';
  }
  return { cause, retryable: true, slowDown: rateLimited, error: new CscwsError(rateLimited ? 'rateLimited' : 'connection', cause) };
}

/** Returns the HTTP status of a rejected WebSocket upgrade, from the message ws gives its error. */
function upgradeStatus(error: CscwsError): number | undefined {
  const cause = error.cause instanceof Error ? error.cause.message : '';
  const match = /^Unexpected server response: (\d{3})/.exec(cause);
  return match === null ? undefined : Number(match[1]);
}

/** Builds the error of a run that stopped reconnecting after `attempts` failed attempts in a row. */
export function giveUpError(failure: ConnectionFailure, attempts: number): unknown {
  const { error } = failure;
  if (!(error instanceof CscwsError)) {
    return error;
  }
  const message = `${error.message}; gave up after ${attempts} reconnect attempt${attempts === 1 ? '' : 's'} (--max-reconnects)`;
  return new CscwsError(error.reason, message, error.hint === undefined ? { cause: error } : { hint: error.hint, cause: error });
}
