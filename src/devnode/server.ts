import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';

import { WebSocketServer, type RawData, type WebSocket } from 'ws';

import { CscwsError } from '../errors.js';
import { sanitizeForTerminal } from '../output/sanitize.js';
import { INVALID_REQUEST } from '../protocol/error-codes.js';
import { AccessPolicy } from './access.js';
import { AllowList, LOOPBACK_ONLY } from './allow-list.js';
import { CLOSE_GOING_AWAY, CLOSE_POLICY_VIOLATION, DevnodeConnection } from './connection.js';
import { loadReplayFixture, type ReplayFixture } from './fixture.js';
import { NotificationHub } from './hub.js';
import {
  DEFAULT_MAX_BUFFERED_BYTES,
  MAX_REQUEST_BYTES,
  MEBIBYTE,
  validateDevnodeOptions,
  type DevnodeOptions,
} from './options.js';
import { ConnectionRateLimits, DEFAULT_RATE_LIMITS } from './rate-limits.js';
import { ReplaySchedule } from './replay.js';
import { prepareReplayData, type BusyAddress, type ReplaySummary } from './replay-data.js';
import { ReplayPublisher } from './replay-publisher.js';
import { answerError, handleRequestText, type RequestContext } from './request-handler.js';

export type { DevnodeOptions, DevnodeTls } from './options.js';
export type { BusyAddress, ReplaySummary } from './replay-data.js';

/** A devnode listening and ready for clients. */
export interface RunningDevnode {
  /** `ws://HOST:PORT`, or `wss://` with TLS, with an IPv6 host in brackets. */
  url: string;
  host: string;
  /** The port actually bound, also when the options asked for 0. */
  port: number;
  summary: ReplaySummary;
  /** Returns the `count` addresses touched by the most replayed transactions, busiest first. */
  busiestAddresses(count: number): BusyAddress[];
  /**
   * Resolves once the last block has been sent, when atEnd is 'stop' or 'exit'; with 'exit' every
   * client has been closed with 1001 and the server has stopped listening by then. Never resolves
   * with 'restart'.
   */
  replayEnded: Promise<void>;
  /** Closes every client with 1001 "devnode shutting down" and stops listening. Safe to call twice. */
  close(): Promise<void>;
}

/** Time given to clients to reply to a close frame before their sockets are destroyed, in ms. */
const CLOSE_GRACE_MS = 2000;

/**
 * Loads the fixture, listens on options.host:options.port and serves the WebSocket API. The
 * replay starts with the first successful subscribe request of any client. Throws a CscwsError
 * for invalid options, an unreadable fixture, or a port that cannot be bound.
 */
export async function startDevnode(options: DevnodeOptions): Promise<RunningDevnode> {
  validateDevnodeOptions(options);
  const data = prepareReplayData(loadFixture(options.fixturePath));

  const allowList = AllowList.parse(options.allowedAddresses ?? LOOPBACK_ONLY);
  const rateLimits = options.rateLimits ?? DEFAULT_RATE_LIMITS;
  const log = options.log;

  const tls = options.tls;
  const httpServer: Server =
    tls === undefined
      ? createServer(answerPlainHttpRequest)
      : createTlsServer(
          {
            cert: tls.cert,
            key: tls.key,
            ...(tls.clientCa === undefined ? {} : { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }),
          },
          answerPlainHttpRequest,
        );
  if (tls !== undefined) {
    httpServer.on('tlsClientError', (error: Error, socket: { remoteAddress?: string; remotePort?: number }) => {
      log(`TLS handshake from ${formatRemote(socket.remoteAddress, socket.remotePort)} failed: ${error.message}`);
    });
  }
  await listen(httpServer, options.host, options.port);
  const address = httpServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `${tls === undefined ? 'ws' : 'wss'}://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;

  const logEvent = (connection: DevnodeConnection, line: string): void => {
    if (options.quiet !== true) {
      log(`client #${connection.id}: ${line}`);
    }
  };
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;

  const hub = new NotificationHub();
  const schedule = new ReplaySchedule(
    data,
    { blockIntervalSeconds: options.blockIntervalSeconds, atEnd: options.atEnd },
    new ReplayPublisher(data, hub, log),
  );
  const context: RequestContext = {
    hub,
    access: new AccessPolicy(options.tokens, options.privateChannels),
    maxWatchedAddresses: options.maxWatchedAddresses,
    onSubscribed: () => {
      if (!schedule.started) {
        log('replay started by the first subscribe request');
        schedule.start();
      }
    },
    logEvent,
  };

  const connections = new Set<DevnodeConnection>();
  const closeWaiters: (() => void)[] = [];
  let lastConnectionId = 0;
  let closing: Promise<void> | undefined;

  const onOverflow = (connection: DevnodeConnection, bufferedBytes: number): void => {
    const mebibytes = (bufferedBytes / MEBIBYTE).toFixed(1);
    log(
      `client #${connection.id}: closed with 1008 because ${mebibytes} MiB of notifications were waiting to be sent ` +
        `(limit ${(maxBufferedBytes / MEBIBYTE).toFixed(1)} MiB); it reads too slowly`,
    );
  };

  const wss = new WebSocketServer({
    server: httpServer,
    maxPayload: MAX_REQUEST_BYTES,
    clientTracking: false,
    perMessageDeflate: false,
    // The node refuses addresses outside wsallowip at the HTTP upgrade, before any frame.
    verifyClient: (info, callback) => {
      const remote = info.req.socket;
      if (allowList.allows(remote.remoteAddress)) {
        callback(true);
        return;
      }
      log(`refused ${formatRemote(remote.remoteAddress, remote.remotePort)} with 403: not in the allowed addresses (${allowList.entries.join(', ')})`);
      callback(false, 403, 'Forbidden: client address not allowed');
    },
  });
  // ws re-emits errors of the HTTP server here; without a listener they would crash the process.
  wss.on('error', (error) => log(`server error: ${error.message}`));

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const remote = formatRemote(request.socket.remoteAddress, request.socket.remotePort);
    const connection = new DevnodeConnection(++lastConnectionId, socket, remote, maxBufferedBytes, onOverflow);
    connection.limits = new ConnectionRateLimits(rateLimits);
    connection.onMempoolLimited = () =>
      logEvent(connection, `over ${rateLimits.mempoolPerMinute} mempool notifications a minute; dropping the excess, rate_limit_exceeded sent (${connection.limits.mempoolDropped} dropped so far)`);
    connections.add(connection);
    const peerCertificate = 'getPeerCertificate' in request.socket ? describeClientCertificate(request.socket) : '';
    logEvent(connection, `connected from ${remote}${peerCertificate}`);

    if (closing !== undefined) {
      connection.close(CLOSE_GOING_AWAY, 'devnode shutting down');
    }

    socket.on('message', (message: RawData, isBinary: boolean) => {
      if (isBinary) {
        const notText = 'Binary frames are not requests; send each request as a JSON text frame';
        connection.send(answerError(connection, context, INVALID_REQUEST, notText));
        return;
      }
      const verdict = connection.limits.admitRequest(Date.now());
      if (verdict === 'close') {
        logEvent(connection, `closed with 1008: more than ${2 * rateLimits.requestsPer10Seconds} requests in 10 s`);
        connection.close(CLOSE_POLICY_VIOLATION, 'request flood');
        return;
      }
      if (verdict === 'reject') {
        const tooMany = `More than ${rateLimits.requestsPer10Seconds} requests in 10 s; slow down, or the connection is closed`;
        connection.send(answerError(connection, context, 'rate_limit_exceeded', tooMany));
        return;
      }
      connection.send(handleRequestText(connection, rawDataToText(message), context));
    });

    socket.on('error', (error) => logEvent(connection, `socket error: ${error.message}`));

    socket.on('close', (code: number, reason: Buffer) => {
      hub.removeConnection(connection);
      connections.delete(connection);
      logEvent(connection, describeClose(code, reason.toString('utf8'), connection.errorsAnswered));
      if (connections.size === 0) {
        closeWaiters.splice(0).forEach((resolve) => resolve());
      }
    });
  });

  const allClosed = (): Promise<void> =>
    connections.size === 0 ? Promise.resolve() : new Promise((resolve) => closeWaiters.push(resolve));

  const close = (reason: string): Promise<void> =>
    (closing ??= (async () => {
      schedule.stop();
      for (const connection of connections) {
        connection.close(CLOSE_GOING_AWAY, reason);
      }

      // A client that never replies to the close frame must not keep the devnode running.
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([allClosed(), new Promise((resolve) => (graceTimer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
      clearTimeout(graceTimer);
      for (const connection of connections) {
        connection.socket.terminate();
      }
      await allClosed();

      await new Promise<void>((resolve) => wss.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    })());

  const replayEnded = schedule.ended.then(async () => {
    if (options.atEnd === 'exit') {
      await close('replay finished');
    }
  });

  return {
    url,
    host: options.host,
    port,
    summary: data.summary,
    busiestAddresses: (count) => data.addressesByActivity.slice(0, count).map((entry) => ({ ...entry })),
    replayEnded,
    close: () => close('devnode shutting down'),
  };
}

function loadFixture(path: string | undefined): ReplayFixture {
  try {
    return loadReplayFixture(path);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CscwsError('usage', message, {
      hint: 'pass --fixture PATH of a gzipped replay fixture (see docs/fixture.md), or omit it for the shipped one',
      cause: error,
    });
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(describeListenError(error, host, port));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port });
  });
}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): CscwsError {
  switch (error.code) {
    case 'EADDRINUSE':
      return new CscwsError('connection', `port ${port} on ${host} is already in use`, {
        hint: '--port 0 picks a free port',
        cause: error,
      });
    case 'EACCES':
      return new CscwsError('connection', `permission denied to listen on port ${port} on ${host}`, {
        hint: 'use a port above 1023, or --port 0 for a free one',
        cause: error,
      });
    default:
      return new CscwsError('connection', `cannot listen on port ${port} on ${host}: ${error.message}`, {
        hint: 'use a local address such as 127.0.0.1 or ::1 for --host',
        cause: error,
      });
  }
}

/** Responds to a plain HTTP request, which is not a WebSocket upgrade, with 426 and what to do. */
function answerPlainHttpRequest(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' });
  response.end('This is a cscws devnode. Connect with a WebSocket client, for example `cscws subscribe new-blocks`.\n');
}

/** Names the subject of a verified client certificate, for the connection log line. */
function describeClientCertificate(socket: object): string {
  const certificate = (socket as { getPeerCertificate: () => { subject?: { CN?: string } } }).getPeerCertificate();
  const commonName = certificate.subject?.CN;
  return commonName === undefined ? '' : ` with client certificate CN=${sanitizeForTerminal(String(commonName))}`;
}

function rawDataToText(message: RawData): string {
  if (Array.isArray(message)) {
    return Buffer.concat(message).toString('utf8');
  }
  return Buffer.isBuffer(message) ? message.toString('utf8') : Buffer.from(message).toString('utf8');
}

function formatRemote(address: string | undefined, port: number | undefined): string {
  const host = address === undefined ? 'unknown' : address.includes(':') ? `[${address}]` : address;
  return port === undefined ? host : `${host}:${port}`;
}

function describeClose(code: number, reason: string, errorsAnswered: number): string {
  let line = `disconnected (close code ${code}`;
  if (reason !== '') {
    const safe = sanitizeForTerminal(reason);
    line += `, reason "${safe.length > 120 ? `${safe.slice(0, 120)}…` : safe}"`;
  }
  if (errorsAnswered > 0) {
    line += `, ${errorsAnswered} error${errorsAnswered === 1 ? '' : 's'} answered`;
  }
  return `${line})`;
}
