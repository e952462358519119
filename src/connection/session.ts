import { isUtf8 } from 'node:buffer';
import { EventEmitter } from 'node:events';

import type WebSocket from 'ws';

import { CscwsError } from '../errors.js';
import { classifyFrame, type NotificationFrame, type ResponseFrame } from '../protocol/frames.js';
import { describeRequest, encodeRequest, type Request } from '../protocol/requests.js';
import { Keepalive, type KeepaliveOptions } from './keepalive.js';
import { PendingRequests, type PendingRequest } from './pending-requests.js';
import { RateLimitNotice, type RateLimitEvent } from './rate-limit-notice.js';
import { ServerRejection } from './server-rejection.js';

export interface SessionOptions {
  /** Time the server has to respond to each request, in milliseconds. */
  responseTimeoutMs: number;
  /** Ping settings; pings are off when absent. */
  keepalive?: KeepaliveOptions;
}

/**
 * The side that ended the connection: this client on purpose, the server (close frame or dropped TCP
 * connection), or this client because the connection failed a check (no pong, a frame the
 * WebSocket layer cannot accept). For the last, the close reason describes the failure.
 */
export type ClosedBy = 'client' | 'server' | 'failed-check';

/** Why a frame was skipped; the caller decides how loudly to warn. */
export interface SkippedFrame {
  reason: string;
}

/**
 * One WebSocket connection speaking the node's protocol: sends requests, matches their responses,
 * and emits each notification with its received text. A session never outlives its socket: a
 * reconnect makes a new one, and the pings and timers of this one stop when its socket closes.
 *
 * Events: `notification` (NotificationFrame), `skipped` (SkippedFrame), `close` (code, reason,
 * ClosedBy), and `rateLimited` (RateLimitEvent) for a rate_limit_exceeded error that responds to no
 * request, which the session also reports on stderr.
 */
export class Session extends EventEmitter {
  private readonly pending = new PendingRequests();
  private readonly rateLimitNotice = new RateLimitNotice();
  private readonly keepalive: Keepalive | undefined;
  private closing = false;
  /** Reason this client dropped the connection after a failed check, when it did. */
  private failure: string | undefined;
  private rateLimitSeen = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: SessionOptions,
  ) {
    super();
    socket.on('message', (data, isBinary) => this.socketOnMessage(data as Buffer, isBinary));
    socket.on('close', (code, reason) => this.socketOnClose(code, reason.toString('utf8')));
    // Errors after the upgrade are followed by `close`; the error says why ws closed the socket.
    socket.on('error', (error) => this.socketOnError(error as NodeJS.ErrnoException));

    if (options.keepalive !== undefined) {
      this.keepalive = new Keepalive(socket, options.keepalive, (description) => this.drop(description));
      this.keepalive.start();
    }
  }

  /** Sends `request` and resolves with the success response; rejects with ServerRejection on an error response. */
  request(request: Request): Promise<ResponseFrame> {
    if (!this.isOpen) {
      return Promise.reject(new CscwsError('connection', `connection closed before ${describeRequest(request)} could be sent`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.remove(entry);
        reject(
          new CscwsError('timedOut', `no response from the server to ${describeRequest(request)} within ${this.options.responseTimeoutMs / 1000} s`, {
            hint: 'Raise --connect-timeout if the node is slow, or check that the URL points at a CSCoin node.',
          }),
        );
      }, this.options.responseTimeoutMs);

      const entry: PendingRequest = {
        request,
        resolve: (response) => {
          clearTimeout(timer);
          if (response.status === 'error') {
            reject(new ServerRejection(request, response.code, response.message));
          } else {
            resolve(response);
          }
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.pending.add(entry);
      this.socket.send(encodeRequest(request));
    });
  }

  /** Stops reading from the socket, so TCP backpressure reaches the server while output is slow. */
  pause(): void {
    this.keepalive?.suspend();
    this.socket.pause();
  }

  resume(): void {
    this.keepalive?.resume();
    this.socket.resume();
  }

  /** True once the server sent `rate_limit_exceeded` on this connection, in response to a request or not. */
  get rateLimited(): boolean {
    return this.rateLimitSeen;
  }

  get isPaused(): boolean {
    return this.socket.isPaused;
  }

  /** Drops the connection because it failed a check; `close` follows with ClosedBy `failed-check`. */
  drop(description: string): void {
    if (this.closing || this.failure !== undefined) {
      return;
    }
    this.failure = description;
    this.socket.terminate();
  }

  get isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** Sends a close frame and resolves when the server has closed too, or after `waitMs`. */
  close(code: number, reason: string, waitMs: number): Promise<void> {
    this.closing = true;
    if (this.socket.readyState === this.socket.CLOSED) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, waitMs);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.close(code, reason);
    });
  }

  /** Closes the TCP connection at once, without a close handshake. */
  terminate(): void {
    this.closing = true;
    this.socket.terminate();
  }

  private socketOnMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) {
      this.emit('skipped', { reason: `binary frame of ${data.length} bytes` } satisfies SkippedFrame);
      return;
    }
    if (!isUtf8(data)) {
      this.emit('skipped', { reason: 'text frame that is not valid UTF-8' } satisfies SkippedFrame);
      return;
    }

    const frame = classifyFrame(data.toString('utf8'));
    switch (frame.kind) {
      case 'notification':
        this.emit('notification', frame satisfies NotificationFrame);
        break;
      case 'response':
        this.routeResponse(frame);
        break;
      case 'broken':
        this.emit('skipped', { reason: frame.reason } satisfies SkippedFrame);
        break;
    }
  }

  private routeResponse(response: ResponseFrame): void {
    if (response.status === 'error' && response.code === 'rate_limit_exceeded') {
      this.rateLimitSeen = true;
    }
    if (response.status === 'error' && this.isDropNotice(response)) {
      const event: RateLimitEvent = { channel: response.channel, message: response.message };
      this.rateLimitNotice.report(event);
      this.emit('rateLimited', event);
      return;
    }
    const pending = this.pending.take(response);
    if (pending === undefined) {
      const what = response.status === 'error' ? `error response ${response.code}: ${response.message}` : 'success response';
      this.emit('skipped', { reason: `${what} that answers no request` } satisfies SkippedFrame);
      return;
    }
    pending.resolve(response);
  }

  /**
   * Returns whether `response` is a rate_limit_exceeded notice about dropped notifications rather
   * than a response: no request is waiting, or it names a channel that no waiting request is on.
   */
  private isDropNotice(response: ResponseFrame): boolean {
    if (response.status !== 'error' || response.code !== 'rate_limit_exceeded') {
      return false;
    }
    if (this.pending.size === 0) {
      return true;
    }
    return response.channel !== undefined && !this.pending.hasChannel(response.channel);
  }

  private socketOnError(error: NodeJS.ErrnoException): void {
    if (this.failure !== undefined || this.closing) {
      return;
    }
    // ws closes the connection itself after a frame it cannot accept: over maxPayload (1009), or
    // broken at the WebSocket level (1002). The frame cannot be skipped, because ws stops reading
    // the stream there, so the connection ends and the run decides whether to reconnect.
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      this.failure = 'a frame larger than --max-message-size arrived';
    } else if (error.code?.startsWith('WS_ERR_') === true) {
      this.failure = `the server sent a broken WebSocket frame (${error.message})`;
    }
  }

  private socketOnClose(code: number, reason: string): void {
    this.keepalive?.stop();
    let closedBy: ClosedBy = 'server';
    if (this.closing) {
      closedBy = 'client';
    } else if (this.failure !== undefined) {
      closedBy = 'failed-check';
    }
    const shownReason = closedBy === 'failed-check' ? (this.failure ?? '') : reason;
    const detail = closedBy === 'failed-check' ? shownReason : `code ${code}${reason === '' ? '' : `, ${reason}`}`;
    this.pending.rejectAll(new CscwsError('connection', `connection closed before a response (${detail})`));
    this.emit('close', code, shownReason, closedBy);
  }
}
