/**
 * Counts events in a sliding window: at most `limit` in any `windowMs`. The timestamps of the
 * last `limit` accepted events are kept in a ring, so each check costs O(1).
 */
export class SlidingWindow {
  private readonly times: number[];
  private next = 0;
  private filled = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.times = new Array<number>(limit).fill(0);
  }

  /** Records an event at `now` and returns true when it fits in the window; false leaves no trace. */
  tryTake(now: number): boolean {
    if (this.filled === this.limit) {
      const oldest = this.times[this.next] ?? 0;
      if (now - oldest < this.windowMs) {
        return false;
      }
    } else {
      this.filled++;
    }
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.limit;
    return true;
  }
}

/** Per-connection limits, in events per window; see docs/access.md. */
export interface RateLimitSettings {
  /** Mempool notifications per minute; the node's documented limit is 1000. */
  mempoolPerMinute: number;
  /**
   * Requests per 10 s that are handled. Further requests get rate_limit_exceeded, and past twice
   * this count the connection is closed with 1008.
   */
  requestsPer10Seconds: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { mempoolPerMinute: 1000, requestsPer10Seconds: 100 };

const MINUTE_MS = 60_000;
const REQUEST_WINDOW_MS = 10_000;

export type MempoolVerdict = 'send' | 'drop' | 'drop-and-notify';
export type RequestVerdict = 'handle' | 'reject' | 'close';

/** The rate limits of one connection. */
export class ConnectionRateLimits {
  private readonly mempool: SlidingWindow;
  private readonly requests: SlidingWindow;
  /** Counts every request, also rejected ones, against the hard limit of twice the soft one. */
  private readonly allRequests: SlidingWindow;
  private lastMempoolNoticeAt: number | undefined;
  /** Mempool notifications dropped since the connection opened. */
  mempoolDropped = 0;

  constructor(readonly settings: RateLimitSettings) {
    this.mempool = new SlidingWindow(settings.mempoolPerMinute, MINUTE_MS);
    this.requests = new SlidingWindow(settings.requestsPer10Seconds, REQUEST_WINDOW_MS);
    this.allRequests = new SlidingWindow(settings.requestsPer10Seconds * 2, REQUEST_WINDOW_MS);
  }

  /** Decides whether one mempool notification is sent, dropped, or dropped with the once-a-minute error. */
  admitMempool(now: number): MempoolVerdict {
    if (this.mempool.tryTake(now)) {
      return 'send';
    }
    this.mempoolDropped++;
    if (this.lastMempoolNoticeAt === undefined || now - this.lastMempoolNoticeAt >= MINUTE_MS) {
      this.lastMempoolNoticeAt = now;
      return 'drop-and-notify';
    }
    return 'drop';
  }

  admitRequest(now: number): RequestVerdict {
    if (!this.allRequests.tryTake(now)) {
      return 'close';
    }
    return this.requests.tryTake(now) ? 'handle' : 'reject';
  }
}
