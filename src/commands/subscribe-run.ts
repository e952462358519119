import { performance } from 'node:perf_hooks';

import { openWebSocket } from '../connection/open-websocket.js';
import { ServerRejection } from '../connection/server-rejection.js';
import { Session, type SkippedFrame } from '../connection/session.js';
import { CscwsError } from '../errors.js';
import { EXIT_CODES, type ExitReason } from '../exit-codes.js';
import { writeDebug, writeDiagnostic, writeWarning } from '../output/diagnostics.js';
import type { NotificationSink } from '../output/notification-sink.js';
import { WarningLimiter } from '../output/warning-limiter.js';
import type { NotificationFrame } from '../protocol/frames.js';
import { authRequest, subscribeRequest, unsubscribeRequest } from '../protocol/requests.js';
import { runStages, type NotificationStage } from '../stream/notification-stage.js';
import { subscribeAddresses } from './address-subscribe.js';
import { explainRejection } from './rejection-errors.js';
import type { SubscribePlan } from './subscribe-plan.js';

/** How long a client-side close may wait for the server's answers before the socket is dropped. */
const CLOSE_WAIT_MS = 1000;

type Ending = { reason: ExitReason; unsubscribe: boolean } | { error: unknown };

/**
 * One `cscws subscribe` from connect to exit. Every way the run can end (count reached, timeout,
 * signal, server close, reader gone, error) goes through `end`. The first ending settles the run,
 * and later ones are ignored.
 */
export class SubscribeRun {
  private session: Session | undefined;
  private subscribed = false;
  private delivered = 0;
  private ending: Ending | undefined;
  private settle: (ending: Ending) => void = () => {};
  private readonly skipped = new WarningLimiter('skipped frames');
  private readonly unexpectedChannels = new Set<string>();
  private readonly startedAt = performance.now();

  constructor(
    private readonly plan: SubscribePlan,
    private readonly sink: NotificationSink,
    private readonly stages: readonly NotificationStage[] = [],
  ) {}

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

    this.establish().catch((error: unknown) => this.end({ error }));
    const ending = await settled;

    clearTimeout(timeout);
    await this.shutdown(ending);
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
    this.skipped.summary();

    if ('error' in ending) {
      throw ending.error instanceof ServerRejection ? explainRejection(ending.error, this.plan.addresses) : ending.error;
    }
    return ending.reason;
  }

  /** Ends the run from outside, as a command's own deadline does: with exit 0, or by throwing `error` from execute. */
  stop(error?: CscwsError): void {
    this.end(error === undefined ? { reason: 'ok', unsubscribe: false } : { error });
  }

  /** Connects, authenticates when a token is set, then subscribes to each channel in turn. */
  private async establish(): Promise<void> {
    const { plan } = this;
    writeDebug(`connecting to ${plan.url.href}`);
    this.sink.status({ state: 'connecting', url: plan.url.href });
    const socket = await openWebSocket(plan.url, {
      handshakeTimeoutMs: plan.connectTimeoutMs,
      maxPayload: plan.maxMessageSize,
    });
    const session = new Session(socket, { answerTimeoutMs: plan.connectTimeoutMs });
    this.session = session;
    session.on('notification', (frame: NotificationFrame) => this.sessionOnNotification(frame));
    session.on('skipped', (frame: SkippedFrame) => this.skipped.warn(`skipped a frame from the server: ${frame.reason}`));
    session.on('close', (code: number, reason: string, closedBy: string) => this.sessionOnClose(code, reason, closedBy));
    if (this.ending !== undefined) {
      return;
    }
    writeDebug(`connected to ${plan.url.href}`);

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
    this.subscribed = true;
    this.sink.status({ state: 'live' });
  }

  private sessionOnNotification(frame: NotificationFrame): void {
    if (this.ending !== undefined) {
      return;
    }
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

  private sessionOnClose(code: number, reason: string, closedBy: string): void {
    if (this.ending !== undefined || closedBy === 'client') {
      return;
    }
    const detail = `code ${code}${reason === '' ? '' : `, reason "${reason}"`}`;
    this.sink.status({ state: 'closed', code, reason });

    if (code === 1000 || code === 1001) {
      writeDiagnostic(`the server closed the connection (${detail})`);
      this.end({ reason: 'ok', unsubscribe: false });
      return;
    }
    const what = code === 1006 ? 'lost without a close frame' : `closed by the server (${detail})`;
    this.end({ error: new CscwsError('connection', `connection to ${this.plan.url.host} ${what}`) });
  }

  private startTimeout(): NodeJS.Timeout | undefined {
    const { timeoutMs, count } = this.plan;
    if (timeoutMs === undefined) {
      return undefined;
    }
    return setTimeout(() => {
      if (!this.subscribed) {
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
