import type WebSocket from 'ws';

import { Deadline } from './deadline.js';

export interface KeepaliveOptions {
  /** Time between pings, in milliseconds; 0 turns pings off. */
  intervalMs: number;
  /** Time a pong (or any other frame) has to arrive after a ping, in milliseconds. */
  timeoutMs: number;
}

/**
 * Pings one WebSocket every `intervalMs` and calls `onDead` when neither a pong nor any other frame
 * arrives within `timeoutMs` of a ping: the way to notice a half-open TCP connection, where the
 * server is gone without a FIN and the socket would otherwise wait forever.
 *
 * Bound to one socket for its whole life: `stop()` removes its listeners and timers, so nothing of
 * an old connection can act on the next one. While suspended (the session stopped reading the
 * socket for backpressure) it neither pings nor times out, because no pong could be read.
 */
export class Keepalive {
  private interval: NodeJS.Timeout | undefined;
  private awaitingPong: Deadline | undefined;
  private suspended = false;
  private stopped = false;
  private readonly socketOnInbound = (): void => this.inboundArrived();

  constructor(
    private readonly socket: WebSocket,
    private readonly options: KeepaliveOptions,
    private readonly onDead: (description: string) => void,
  ) {}

  start(): void {
    if (this.options.intervalMs === 0) {
      return;
    }
    this.socket.on('pong', this.socketOnInbound);
    this.socket.on('message', this.socketOnInbound);
    this.interval = setInterval(() => this.sendPing(), this.options.intervalMs);
  }

  suspend(): void {
    this.suspended = true;
    this.awaitingPong?.stop();
    this.awaitingPong = undefined;
  }

  resume(): void {
    this.suspended = false;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.interval);
    this.awaitingPong?.stop();
    this.awaitingPong = undefined;
    this.socket.off('pong', this.socketOnInbound);
    this.socket.off('message', this.socketOnInbound);
  }

  private sendPing(): void {
    if (this.stopped || this.suspended || this.awaitingPong !== undefined || this.socket.readyState !== this.socket.OPEN) {
      return;
    }
    const seconds = this.options.timeoutMs / 1000;
    this.awaitingPong = new Deadline(this.options.timeoutMs, () => {
      this.awaitingPong = undefined;
      if (!this.stopped && !this.suspended) {
        this.onDead(`no pong within ${seconds} s of a ping`);
      }
    });
    this.awaitingPong.start();
    this.socket.ping();
  }

  private inboundArrived(): void {
    // Any frame after the ping shows that the connection still carries data.
    this.awaitingPong?.stop();
    this.awaitingPong = undefined;
  }
}
