import { performance } from 'node:perf_hooks';

import { Backoff } from '../connection/backoff.js';
import { writeDebug, writeDiagnostic } from '../output/diagnostics.js';
import type { RunStatus } from '../output/notification-sink.js';
import type { StreamEvent } from '../stream/stream-event.js';
import { giveUpError, type ConnectionFailure } from './connection-failure.js';
import type { ResiliencePlan } from './resilience-plan.js';

/**
 * The reconnect attempts of one run: how many failed in a row, the backoff delay before the next,
 * its timer, and the log line and status for each decision.
 */
export class ReconnectSchedule {
  /** Reconnect attempts made since the last connection that confirmed its subscriptions. */
  private attempts = 0;
  private timer: NodeJS.Timeout | undefined;
  /** When the last live connection was lost (performance.now()), for the reconnected event. */
  private lostAt: number | undefined;
  private readonly backoff: Backoff;

  constructor(
    private readonly plan: ResiliencePlan,
    private readonly showStatus: (status: RunStatus) => void,
  ) {
    this.backoff = new Backoff(plan.reconnectDelayMs, plan.reconnectMaxDelayMs);
  }

  /** Marks the loss of a connection that was live, from which the downtime is counted. */
  connectionLost(): void {
    this.lostAt = performance.now();
  }

  /**
   * Calls `connect` after the backoff delay and returns undefined, or returns the error that the
   * run ends with when reconnecting is off, the failure is permanent or no attempt is left.
   */
  schedule(failure: ConnectionFailure, connect: () => void): { error: unknown } | undefined {
    const { reconnect, maxReconnects } = this.plan;
    if (!reconnect || !failure.retryable) {
      return { error: failure.error };
    }
    if (maxReconnects !== undefined && this.attempts >= maxReconnects) {
      return { error: giveUpError(failure, this.attempts) };
    }

    this.attempts++;
    const delayMs = failure.slowDown ? this.backoff.slowDownDelay() : this.backoff.delay(this.attempts);
    const of = maxReconnects === undefined ? '' : ` of ${maxReconnects}`;
    writeDiagnostic(`${failure.cause}; reconnecting in ${(delayMs / 1000).toFixed(2)} s (attempt ${this.attempts}${of})`);
    writeDebug(
      failure.slowDown
        ? 'the server rate-limited this client, so the delay is between half and all of --reconnect-max-delay'
        : `reconnect delay drawn from 0 to ${this.backoff.ceiling(this.attempts) / 1000} s (full jitter)`,
    );
    this.showStatus({ state: 'reconnecting', attempt: this.attempts, delayMs, cause: failure.cause });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      connect();
    }, delayMs);
    return undefined;
  }

  /**
   * Starts counting attempts from 0 again, after a connection confirmed its subscriptions. Returns
   * the `reconnected` event when that connection replaced a lost one.
   */
  connected(): StreamEvent | undefined {
    let event: StreamEvent | undefined;
    if (this.lostAt !== undefined) {
      event = { type: 'reconnected', attempts: this.attempts, downtimeMs: Math.round(performance.now() - this.lostAt) };
      this.lostAt = undefined;
    }
    this.attempts = 0;
    return event;
  }

  /** Stops a pending attempt, for a run that ends. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
