import { WebSocket } from 'ws';

import type { ChannelName } from '../protocol/channels.js';
import { ConnectionRateLimits, DEFAULT_RATE_LIMITS } from './rate-limits.js';

/** Close code 1008 (policy violation): sent to a client whose unsent notifications pile up. */
export const CLOSE_POLICY_VIOLATION = 1008;
/** Close code 1001 (going away): sent to every client when the devnode shuts down. */
export const CLOSE_GOING_AWAY = 1001;

/** One client of the devnode: its socket, subscriptions, watched addresses and auth state. */
export class DevnodeConnection {
  /** Channels with an active subscription; address-transactions while any address is watched. */
  readonly channels = new Set<ChannelName>();
  readonly watchedAddresses = new Set<string>();
  authenticated = false;
  /** Error responses sent so far, counted so that a flood of bad requests logs only a few lines. */
  errorsAnswered = 0;

  /** Mempool and request limits; replaced by the server with its configured ones. */
  limits = new ConnectionRateLimits(DEFAULT_RATE_LIMITS);
  /** Called when the mempool limit first drops a notification in a minute; for the log. */
  onMempoolLimited: (connection: DevnodeConnection) => void = () => {};

  private overflowed = false;

  constructor(
    /** Sequence number for log lines, from 1. */
    readonly id: number,
    readonly socket: WebSocket,
    /** Remote address and port, for logs. */
    readonly remote: string,
    private readonly maxBufferedBytes: number,
    /** Called once, after the connection is closed because the client reads too slowly. */
    private readonly onOverflow: (connection: DevnodeConnection, bufferedBytes: number) => void,
  ) {}

  /**
   * Queues one text frame. A Buffer is sent without copying, so one encoded notification can be
   * shared by every subscriber. Frames for a connection that is closing are dropped.
   */
  send(frame: Buffer | string): void {
    if (this.socket.readyState !== WebSocket.OPEN) {
      return;
    }

    // ws queues without limit, so a client that stops reading would make the devnode grow until
    // it runs out of memory. Past the limit the client is closed. The close frame queues behind
    // the unsent data, and ws destroys the socket if the close handshake does not finish in 30 s.
    const buffered = this.socket.bufferedAmount;
    if (buffered > this.maxBufferedBytes) {
      this.closeForOverflow(buffered);
      return;
    }

    this.socket.send(frame, { binary: false });
  }

  /**
   * Queues one notification of `channel`. Mempool notifications over the per-minute limit are
   * dropped, and once a minute while dropping the client gets a rate_limit_exceeded error.
   */
  sendNotification(channel: ChannelName, frame: Buffer): void {
    if (channel === 'mempool') {
      const verdict = this.limits.admitMempool(Date.now());
      if (verdict === 'drop') {
        return;
      }
      if (verdict === 'drop-and-notify') {
        const limit = this.limits.settings.mempoolPerMinute;
        this.send(
          JSON.stringify({
            status: 'error',
            channel,
            error: {
              code: 'rate_limit_exceeded',
              message: `More than ${limit} mempool notifications in a minute; the excess is dropped (${this.limits.mempoolDropped} so far)`,
            },
          }),
        );
        this.onMempoolLimited(this);
        return;
      }
    }
    this.send(frame);
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  private closeForOverflow(bufferedBytes: number): void {
    if (this.overflowed) {
      return;
    }
    this.overflowed = true;
    this.socket.close(CLOSE_POLICY_VIOLATION, 'client reads too slowly');
    this.onOverflow(this, bufferedBytes);
  }
}
