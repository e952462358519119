import { performance } from 'node:perf_hooks';

import { Deadline } from '../connection/deadline.js';
import { openWebSocket } from '../connection/open-websocket.js';
import { Session, type ClosedBy, type SkippedFrame } from '../connection/session.js';
import { CscwsError } from '../errors.js';
import { EXIT_CODES, type ExitReason } from '../exit-codes.js';
import { describeEvent } from '../output/event-format.js';
import { writeDebug, writeDiagnostic, writeWarning } from '../output/diagnostics.js';
import { redactUrl } from '../output/redact.js';
import type { NotificationSink } from '../output/notification-sink.js';
import { WarningLimiter } from '../output/warning-limiter.js';
import type { NotificationFrame } from '../protocol/frames.js';
import { authRequest, subscribeRequest, unsubscribeRequest } from '../protocol/requests.js';
import { BlockSequenceStage } from '../stream/block-sequence-stage.js';
import { DedupeStage } from '../stream/dedupe-stage.js';
import { runStages, type NotificationStage } from '../stream/notification-stage.js';
import type { StreamEvent } from '../stream/stream-event.js';
import { subscribeAddresses } from './address-subscribe.js';
import { describeConnectionLoss, describeEstablishFailure, type ConnectionFailure } from './connection-failure.js';
import { ReconnectSchedule } from './reconnect-schedule.js';
import type { SubscribePlan } from './subscribe-plan.js';

/** How long a client-side close may wait for the server's responses before the socket is dropped. */
const CLOSE_WAIT_MS = 1000;

type Ending = { reason: ExitReason; unsubscribe: boolean } | { error: unknown };

/**
 * One `cscws subscribe` from connect to exit. Every way the run can end (count reached, timeout,
 * signal, server close, reader gone, error, reconnects exhausted) goes through `end`. The first
 * ending settles the run, and later ones are ignored.
 *
 * With reconnecting on, a lost or refused connection is followed by a new one after a backoff
 * delay. Each new connection authenticates and subscribes to every channel again. Events of a
 * session that is no longer `this.session` are ignored, so nothing of an old connection (late
 * frames, its close, its timers) acts on the run.
 */
export class SubscribeRun {
  private session: Session | undefined;
  /** True while the current connection has confirmed every subscription. */
  private subscribed = false;
  private everSubscribed = false;
  private delivered = 0;
  private ending: Ending | undefined;
  private settle: (ending: Ending) => void = () => {};
  private idle: Deadline | undefined;
  private readonly skipped = new WarningLimiter('skipped frames');
  private readonly unexpectedChannels = new Set<string>();
  private readonly startedAt = performance.now();
  private readonly reconnects: ReconnectSchedule;
  private readonly dedupe: DedupeStage | undefined;
  private readonly stages: readonly NotificationStage[];

  constructor(
    private readonly plan: SubscribePlan,
    private readonly sink: NotificationSink,
    stages: readonly NotificationStage[] = [],
  ) {
    const { resilience } = plan;
    this.reconnects = new ReconnectSchedule(resilience, (status) => this.sink.status(status));
    this.dedupe = resilience.dedupe ? new DedupeStage() : undefined;
    // Dedupe runs first, so that a block re-sent after a reconnect is not mistaken for a reorg.
    // The block checks run first: before dedupe, so that a block skipped as already written still
    // counts as seen and its height is not reported missing; before the caller's stages, so that
    // a filter cannot hide a gap.
    const blockSequence = new BlockSequenceStage((event) => this.reportEvent(event));
    this.stages = [blockSequence, ...(this.dedupe === undefined ? [] : [this.dedupe]), ...stages];
  }

  async execute(): Promise<ExitReason> {
    const settled = new Promise<Ending>((resolve) => {
      this.settle = resolve;
    });

    const onInterrupt = (signal: NodeJS.Signals): void => this.processOnSignal(signal);
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);
    const timeout = this.startTimeout();
    this.sink.on('closed', () => this.end({ reason: 'ok', unsubscribe: false }));
    this.sink.on('drain', () => this.session?.resume());

    this.connect();
    const ending = await settled;

    clearTimeout(timeout);
    this.reconnects.cancel();
    this.idle?.stop();
    await this.shutdown(ending);
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    this.skipped.summary();
    if (this.dedupe !== undefined && this.dedupe.skippedCount > 0) {
      writeDebug(`skipped ${this.dedupe.skippedCount} notifications already written from an earlier connection`);
    }

    if ('error' in ending) {
      throw ending.error;
    }
    return ending.reason;
  }

  /** Ends the run from outside, as a command's own deadline does: with exit 0, or by throwing `error` from execute. */
  stop(error?: CscwsError): void {
    this.end(error === undefined ? { reason: 'ok', unsubscribe: false } : { error });
  }

  private connect(): void {
    this.establish().catch((error: unknown) => this.establishOnFailure(error));
  }

  /** Connects, authenticates when a token is set, then subscribes to each channel in turn. */
  private async establish(): Promise<void> {
    const { plan } = this;
    writeDebug(`connecting to ${redactUrl(plan.url)}`);
    this.sink.status({ state: 'connecting', url: redactUrl(plan.url) });
    const socket = await openWebSocket(plan.url, {
      handshakeTimeoutMs: plan.connectTimeoutMs,
      maxPayload: plan.maxMessageSize,
      access: plan.access,
    });
    if (this.ending !== undefined) {
      socket.terminate();
      return;
    }

    const { pingIntervalMs, pingTimeoutMs } = plan.resilience;
    const session = new Session(socket, {
      responseTimeoutMs: plan.connectTimeoutMs,
      ...(pingIntervalMs > 0 ? { keepalive: { intervalMs: pingIntervalMs, timeoutMs: pingTimeoutMs } } : {}),
    });
    this.session = session;
    this.subscribed = false;
    this.dedupe?.connectionOpened();
    session.on('notification', (frame: NotificationFrame) => {
      if (session === this.session) {
        this.sessionOnNotification(frame);
      }
    });
    session.on('skipped', (frame: SkippedFrame) => this.skipped.warn(`skipped a frame from the server: ${frame.reason}`));
    session.on('close', (code: number, reason: string, closedBy: ClosedBy) => {
      if (session === this.session) {
        this.sessionOnClose(session, code, reason, closedBy);
      }
    });
    writeDebug(`connected to ${redactUrl(plan.url)}`);

    if (plan.token !== undefined) {
      this.sink.status({ state: 'authenticating' });
      await session.request(authRequest(plan.token));
      writeDebug('authenticated');
    }
    for (const channel of plan.channels) {
      this.sink.status({ state: 'subscribing', channel });
      if (channel === 'address-transactions') {
        await subscribeAddresses(session, plan.addresses);
      } else {
        await session.request(subscribeRequest(channel));
      }
      writeDebug(`subscribed to ${channel}`);
    }
    if (session !== this.session || this.ending !== undefined) {
      return;
    }
    this.sessionOnLive(session);
  }

  private sessionOnLive(session: Session): void {
    this.subscribed = true;
    this.everSubscribed = true;
    const reconnected = this.reconnects.connected();
    if (reconnected !== undefined) {
      this.reportEvent(reconnected);
    }
    this.sink.status({ state: 'live' });
    this.startIdleDeadline(session);
    if (!this.sink.ready) {
      session.pause();
    }
  }

  private establishOnFailure(error: unknown): void {
    if (this.ending !== undefined) {
      return;
    }
    const failure = describeEstablishFailure(error, this.plan.addresses);
    if (this.plan.resilience.reconnect && failure.retryable) {
      // The connection may still be open after an unanswered request or a rate limit.
      const session = this.session;
      this.session = undefined;
      this.subscribed = false;
      void session?.close(1000, 'reconnecting', CLOSE_WAIT_MS);
    }
    this.reconnectOrEnd(failure);
  }

  private sessionOnNotification(frame: NotificationFrame): void {
    if (this.ending !== undefined) {
      return;
    }
    this.idle?.touch();
    if (!(this.plan.channels as readonly string[]).includes(frame.channel)) {
      if (!this.unexpectedChannels.has(frame.channel)) {
        this.unexpectedChannels.add(frame.channel);
        writeWarning(`skipping notifications on channel "${frame.channel}", which was not subscribed`);
      }
      return;
    }

    const verdict = runStages(this.stages, frame);
    if (verdict === 'skip') {
      return;
    }
    try {
      this.sink.deliver(frame);
    } catch (error) {
      this.skipped.warn(`skipped a notification on ${frame.channel} that could not be shown: ${String(error)}`);
      return;
    }
    this.delivered++;

    if (verdict === 'deliver-and-stop' || (this.plan.count !== undefined && this.delivered >= this.plan.count)) {
      this.end({ reason: 'ok', unsubscribe: false });
    } else if (!this.sink.ready) {
      this.session?.pause();
    }
  }

  private sessionOnClose(session: Session, code: number, reason: string, closedBy: ClosedBy): void {
    if (this.ending !== undefined || closedBy === 'client') {
      return;
    }
    if (!this.subscribed) {
      // Still connecting: the request in flight fails, and establishOnFailure decides.
      return;
    }
    this.session = undefined;
    this.subscribed = false;
    this.idle?.stop();
    this.sink.status({ state: 'closed', code, reason });

    const normal = closedBy === 'server' && (code === 1000 || code === 1001);
    if (normal && !this.plan.resilience.reconnect) {
      writeDiagnostic(`the server closed the connection (code ${code}${reason === '' ? '' : `, reason "${reason}"`})`);
      this.end({ reason: 'ok', unsubscribe: false });
      return;
    }
    this.reconnects.connectionLost();
    this.reconnectOrEnd(describeConnectionLoss(this.plan.url.host, code, reason, closedBy, session.rateLimited));
  }

  /** Schedules the next connection attempt, or ends the run when that is not allowed. */
  private reconnectOrEnd(failure: ConnectionFailure): void {
    const ending = this.reconnects.schedule(failure, () => this.connect());
    if (ending !== undefined) {
      this.end(ending);
    }
  }

  private startIdleDeadline(session: Session): void {
    const { idleTimeoutMs, onIdle } = this.plan.resilience;
    if (idleTimeoutMs === undefined) {
      return;
    }
    this.idle?.stop();
    const idle = new Deadline(idleTimeoutMs, () => {
      if (session !== this.session || this.ending !== undefined) {
        return;
      }
      if (session.isPaused) {
        // Nothing can arrive while the socket is not read; count again once output drains.
        idle.start();
        return;
      }
      const what = `no notification for ${idleTimeoutMs / 1000} s (--idle-timeout)`;
      if (onIdle === 'reconnect') {
        session.drop(what);
      } else {
        this.end({ error: new CscwsError('timedOut', what, { hint: 'Raise --idle-timeout, or pass --on-idle reconnect.' }) });
      }
    });
    this.idle = idle;
    idle.start();
  }

  private reportEvent(event: StreamEvent): void {
    if (event.type === 'reconnected') {
      writeDiagnostic(describeEvent(event));
    } else {
      writeWarning(describeEvent(event));
    }
    if (this.plan.resilience.events) {
      this.sink.event?.(event);
    }
  }

  private startTimeout(): NodeJS.Timeout | undefined {
    const { timeoutMs, count } = this.plan;
    if (timeoutMs === undefined) {
      return undefined;
    }
    return setTimeout(() => {
      if (!this.everSubscribed) {
        this.end({ error: new CscwsError('timedOut', `--timeout of ${timeoutMs / 1000} s elapsed before the subscriptions were confirmed`) });
      } else if (count !== undefined) {
        this.end({
          error: new CscwsError('timedOut', `--timeout of ${timeoutMs / 1000} s elapsed after ${this.delivered} of ${count} notifications`),
        });
      } else {
        this.end({ reason: 'ok', unsubscribe: false });
      }
    }, timeoutMs);
  }

  private processOnSignal(signal: NodeJS.Signals): void {
    if (this.ending !== undefined) {
      // A second Ctrl-C means "now": skip the polite close.
      process.exit(signal === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated);
    }
    this.end({ reason: signal === 'SIGINT' ? 'interrupted' : 'terminated', unsubscribe: true });
  }

  private end(ending: Ending): void {
    if (this.ending !== undefined) {
      return;
    }
    this.ending = ending;
    this.settle(ending);
  }

  /** Unsubscribes when asked to, closes with 1000, and writes out every line already received. */
  private async shutdown(ending: Ending): Promise<void> {
    const session = this.session;
    if (session !== undefined && session.isOpen) {
      if ('unsubscribe' in ending && ending.unsubscribe && this.subscribed) {
        await this.unsubscribeAll(session);
      }
      await session.close(1000, 'client done', CLOSE_WAIT_MS);
    } else {
      session?.terminate();
    }
    await this.sink.end({ delivered: this.delivered, durationMs: performance.now() - this.startedAt });
  }

  private async unsubscribeAll(session: Session): Promise<void> {
    const requests = this.plan.channels.map((channel) => session.request(unsubscribeRequest(channel)));
    const deadline = new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref());
    await Promise.race([Promise.allSettled(requests), deadline]);
  }
}
