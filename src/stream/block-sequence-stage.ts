import type { NotificationFrame } from '../protocol/frames.js';
import type { NotificationStage, StageVerdict } from './notification-stage.js';
import type { BlockRef, StreamEventListener } from './stream-event.js';

/** Block hashes remembered by height, to tell a reorg from a repeat; the oldest go first. */
const REMEMBERED_HEIGHTS = 1000;

/**
 * Watches the heights of new-blocks notifications and reports a gap (a height skipped, such as
 * 101 then 103) or a reorg (a height seen before arriving with another hash, or the height going
 * back). It never skips a notification: it only reports.
 *
 * A repeat of the latest block (same height, same hash, or a hash missing on either) is neither;
 * DedupeStage, which runs first, skips it when it comes after a reconnect.
 */
export class BlockSequenceStage implements NotificationStage {
  private readonly hashes = new Map<number, string | null>();
  private latest: BlockRef | undefined;

  constructor(private readonly onEvent: StreamEventListener) {}

  inspect(frame: NotificationFrame): StageVerdict {
    if (frame.channel !== 'new-blocks') {
      return 'deliver';
    }
    const height = frame.data?.height;
    if (typeof height !== 'number' || !Number.isSafeInteger(height)) {
      return 'deliver';
    }
    const hash = typeof frame.data?.hash === 'string' ? frame.data.hash : null;

    const latest = this.latest;
    if (latest !== undefined) {
      if (height > latest.height + 1) {
        this.onEvent({
          type: 'gap',
          from: latest.height + 1,
          to: height - 1,
          missing: height - latest.height - 1,
          before: { ...latest },
          after: { height, hash },
        });
      } else if (height < latest.height || (height === latest.height && hash !== latest.hash && hash !== null && latest.hash !== null)) {
        this.onEvent({ type: 'reorg', height, oldHash: this.hashes.get(height) ?? null, newHash: hash, previousHeight: latest.height });
        this.forgetAbove(height);
      }
    }

    this.remember(height, hash);
    return 'deliver';
  }

  private remember(height: number, hash: string | null): void {
    this.latest = { height, hash };
    this.hashes.delete(height);
    this.hashes.set(height, hash);
    if (this.hashes.size > REMEMBERED_HEIGHTS) {
      const oldest = this.hashes.keys().next().value;
      if (oldest !== undefined) {
        this.hashes.delete(oldest);
      }
    }
  }

  /** Heights above a reorg belong to the abandoned branch. */
  private forgetAbove(height: number): void {
    for (const known of [...this.hashes.keys()]) {
      if (known > height) {
        this.hashes.delete(known);
      }
    }
  }
}
