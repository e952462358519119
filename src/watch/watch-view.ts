import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';

import type { NotificationSink, RunStatus } from '../output/notification-sink.js';
import { sanitizeForTerminal } from '../output/sanitize.js';
import { renderWatchView } from './watch-view-render.js';
import type { WatchStage } from './watch-stage.js';
import type { WatchTracker } from './watch-tracker.js';

/** At most one redraw in this many milliseconds, however fast notifications arrive. */
const REDRAW_INTERVAL_MS = 200;
/** Redraw at least this often, so the elapsed time moves while nothing arrives. */
const IDLE_REDRAW_MS = 1000;

const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[?25l';
const LEAVE_ALTERNATE_SCREEN = '\x1b[?25h\x1b[?1049l';
const HOME_AND_CLEAR = '\x1b[H\x1b[2J';

/**
 * The terminal output of `cscws watch`: a live view on the alternate screen, redrawn from the
 * tracker's state. When the run ends, the screen is restored and the last view is printed once
 * on the normal screen, so it stays in the scrollback.
 */
export class WatchView extends EventEmitter implements NotificationSink {
  private statusText = 'connecting';
  private onAlternateScreen = false;
  private redrawTimer: NodeJS.Timeout | undefined;
  private lastRedraw = 0;
  private readonly idleTimer: NodeJS.Timeout;
  private readonly startedAt = performance.now();
  private readonly restoreOnExit = (): void => this.leaveAlternateScreen();

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly tracker: WatchTracker,
    private readonly stage: WatchStage,
    private readonly goal: string | undefined,
  ) {
    super();
    this.idleTimer = setInterval(() => this.scheduleRedraw(), IDLE_REDRAW_MS).unref();
    stream.on('resize', () => this.scheduleRedraw());
    // Restores the terminal even when the process ends without `end` (an internal error).
    process.on('exit', this.restoreOnExit);
  }

  /** Always true: the view redraws from state and queues no notifications, so the socket never needs pausing. */
  get ready(): boolean {
    return true;
  }

  deliver(): void {
    this.stage.takeChanges();
    this.scheduleRedraw();
  }

  status(status: RunStatus): void {
    switch (status.state) {
      case 'connecting':
        this.statusText = `connecting to ${sanitizeForTerminal(status.url)}`;
        break;
      case 'authenticating':
        this.statusText = 'authenticating';
        break;
      case 'subscribing':
        this.statusText = `subscribing to ${status.channel}`;
        break;
      case 'live':
        this.statusText = 'live';
        break;
      case 'closed':
        this.statusText = `closed (${status.code})`;
        break;
    }
    if (!this.onAlternateScreen) {
      this.stream.write(ENTER_ALTERNATE_SCREEN);
      this.onAlternateScreen = true;
    }
    this.scheduleRedraw();
  }

  async end(): Promise<void> {
    clearInterval(this.idleTimer);
    clearTimeout(this.redrawTimer);
    this.leaveAlternateScreen();
    process.off('exit', this.restoreOnExit);
    this.statusText = 'ended';
    await new Promise<void>((resolve) => this.stream.write(this.render(), () => resolve()));
  }

  private scheduleRedraw(): void {
    if (this.redrawTimer !== undefined || !this.onAlternateScreen) {
      return;
    }
    const wait = Math.max(0, this.lastRedraw + REDRAW_INTERVAL_MS - performance.now());
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      this.lastRedraw = performance.now();
      if (this.onAlternateScreen) {
        this.stream.write(HOME_AND_CLEAR + this.render());
      }
    }, wait);
  }

  private render(): string {
    return renderWatchView({
      status: this.statusText,
      tipHeight: this.tracker.tipHeight,
      elapsedMs: performance.now() - this.startedAt,
      goal: this.goal,
      totals: this.tracker.addressTotals(),
      transactions: this.tracker.allTransactions(),
      columns: this.stream.columns ?? 100,
      rows: this.stream.rows ?? 40,
    });
  }

  private leaveAlternateScreen(): void {
    if (this.onAlternateScreen) {
      this.onAlternateScreen = false;
      this.stream.write(LEAVE_ALTERNATE_SCREEN);
    }
  }
}
