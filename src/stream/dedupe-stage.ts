import { hash } from 'node:crypto';

import type { NotificationFrame } from '../protocol/frames.js';
import type { NotificationStage, StageVerdict } from './notification-stage.js';

/** Notifications remembered for deduplication; the oldest are forgotten first. */
export const DEDUPE_MEMORY = 10_000;

/**
 * Skips a notification that was already written from an earlier connection: same channel and the
 * same text byte for byte, so the same block hash or txid with the same content. A server that
 * sends what it sent before the reconnect (or one behind a load balancer that replays) then does
 * not produce duplicates.
 *
 * Repeats within one connection pass, because the server sent them twice on purpose (a mempool
 * transaction evicted and added again, a replay that starts over). A notification skipped once is
 * counted as seen on the current connection, so it is skipped at most once per reconnect.
 *
 * Memory is bounded: a 20-byte digest and a number for each of the last DEDUPE_MEMORY distinct
 * notifications, forgotten in the order they were first seen.
 */
export class DedupeStage implements NotificationStage {
  /** Digest of channel and text → the connection that last saw it. */
  private readonly seen = new Map<string, number>();
  /**
   * The digests in `seen`, oldest first, as a ring. Finding the oldest through the Map's own
   * iterator would cost microseconds per notification once deletions pile up in it.
   */
  private readonly order: (string | undefined)[] = new Array<string | undefined>(DEDUPE_MEMORY);
  private nextSlot = 0;
  private connection = 0;
  private skipped = 0;

  /** Marks the start of a new connection; call it before its first notification. */
  connectionOpened(): void {
    this.connection++;
  }

  /** Number of notifications skipped as duplicates so far. */
  get skippedCount(): number {
    return this.skipped;
  }

  inspect(frame: NotificationFrame): StageVerdict {
    const key = hash('sha1', `${frame.channel}\n${frame.line}`, 'base64');
    const seenOn = this.seen.get(key);

    if (seenOn === undefined) {
      const oldest = this.order[this.nextSlot];
      if (oldest !== undefined) {
        this.seen.delete(oldest);
      }
      this.order[this.nextSlot] = key;
      this.nextSlot = (this.nextSlot + 1) % DEDUPE_MEMORY;
    }
    this.seen.set(key, this.connection);

    if (seenOn !== undefined && seenOn < this.connection) {
      this.skipped++;
      return 'skip';
    }
    return 'deliver';
  }
}
