import type { EventEmitter } from 'node:events';

import type { NotificationFrame } from '../protocol/frames.js';
import type { StreamEvent } from '../stream/stream-event.js';

/** Connection events that a sink may show, such as the table's status line. */
export type RunStatus =
  | { state: 'connecting'; url: string }
  | { state: 'authenticating' }
  | { state: 'subscribing'; channel: string }
  | { state: 'live' }
  /** Waiting `delayMs` before reconnect attempt `attempt` (from 1), after `cause`. */
  | { state: 'reconnecting'; attempt: number; delayMs: number; cause: string }
  | { state: 'closed'; code: number; reason: string };

/** Totals for the summary a sink may print when the run ends. */
export interface RunSummary {
  delivered: number;
  durationMs: number;
}

/**
 * Where notifications end up: JSON lines, text lines, or a live view. Emits `drain` when it takes
 * data again after `ready` went false, and `closed` when its reader went away (a closed pipe).
 */
export interface NotificationSink extends EventEmitter {
  /** False while the output applies backpressure: the run pauses the socket until `drain`. */
  readonly ready: boolean;
  deliver(frame: NotificationFrame): void;
  status(status: RunStatus): void;
  /** Writes a stream event (gap, reorg, reconnect) to the output; called only with --events. */
  event?(event: StreamEvent): void;
  /** Writes out everything delivered, and a summary where the sink shows one. */
  end(summary: RunSummary): Promise<void>;
}
