import { EventEmitter } from 'node:events';

import type { NotificationFrame } from '../../protocol/frames.js';
import { colorsFor } from '../color-policy.js';
import { redirectDiagnostics, writeDiagnosticLine } from '../diagnostics.js';
import type { NotificationSink, RunStatus, RunSummary } from '../notification-sink.js';
import { LIST_CHANNELS } from './channel-columns.js';
import { ConnectSpinner } from './connect-spinner.js';
import { ListPanel } from './list-panel.js';
import { MiningPanel } from './mining-panel.js';
import { RateMeter } from './rate-meter.js';
import { RedrawScheduler } from './redraw-scheduler.js';
import { formatSummary } from './run-summary.js';
import { composeFrame } from './screen-layout.js';
import { TerminalScreen } from './terminal-screen.js';

/** Diagnostics kept while the table covers the terminal, written to stderr when it ends. */
const MAX_HELD_MESSAGES = 100;

/**
 * The live table: a status line and one panel per channel, redrawn at most 10 times a second on
 * the alternate screen of the terminal behind stdout. Each list panel keeps only as many
 * notifications as the terminal has rows. `end` restores the normal screen and leaves a summary
 * line there.
 */
export class TableSink extends EventEmitter implements NotificationSink {
  private readonly screen = new TerminalScreen(process.stdout, process.stdin);
  private readonly spinner = new ConnectSpinner();
  private readonly scheduler = new RedrawScheduler(() => this.redraw());
  private readonly panels: (ListPanel | MiningPanel)[] = [];
  private readonly listPanels = new Map<string, ListPanel>();
  private readonly mining: MiningPanel | undefined;
  private readonly meters = new Map<string, RateMeter>();
  private readonly heldMessages: string[] = [];
  private droppedMessages = 0;
  private current: RunStatus | undefined;
  private liveSinceMs: number | undefined;
  private statusSinceMs: number | undefined;
  private url = '';
  private shown = false;
  private readonly onResize = (): void => this.stdoutOnResize();
  private readonly onDrain = (): void => this.scheduler.release();
  private readonly onError = (error: NodeJS.ErrnoException): void => this.stdoutOnError(error);

  constructor(channels: readonly string[]) {
    super();
    const now = Date.now();
    for (const channel of channels) {
      this.meters.set(channel, new RateMeter(now));
      const spec = LIST_CHANNELS[channel];
      if (spec !== undefined) {
        const panel = new ListPanel(channel, spec, this.screen.rows);
        this.listPanels.set(channel, panel);
        this.panels.push(panel);
      } else if (channel === 'mining-info') {
        this.mining = new MiningPanel();
        this.panels.push(this.mining);
      }
    }
  }

  /** Always true: a slow terminal only delays redraws, and rows that scroll past are dropped. */
  get ready(): boolean {
    return true;
  }

  /** Stores the notification for the next frame; throws when a mining-info line cannot be parsed. */
  deliver(frame: NotificationFrame): void {
    if (frame.channel === 'mining-info') {
      this.mining?.update(frame.line);
    } else {
      this.listPanels.get(frame.channel)?.rows.push(frame.line);
    }
    this.meters.get(frame.channel)?.add(Date.now());
    this.show();
    this.scheduler.request();
  }

  status(status: RunStatus): void {
    this.current = status;
    this.statusSinceMs = Date.now();
    if (status.state === 'connecting') {
      this.url = status.url;
    }
    if (status.state === 'live') {
      this.liveSinceMs = Date.now();
    } else if (status.state !== 'closed') {
      this.liveSinceMs = undefined;
    }

    const spinning = !this.shown && this.spinner.status(status);
    if (!spinning) {
      this.show();
    }
    this.scheduler.request();
  }

  async end(summary: RunSummary): Promise<void> {
    this.scheduler.stop();
    this.spinner.stop();
    if (!this.shown) {
      return;
    }

    process.stdout.off('resize', this.onResize);
    process.stdout.off('drain', this.onDrain);
    // The error listener stays: restoring the screen and the summary may hit a terminal that is gone.
    this.screen.leave();
    redirectDiagnostics(undefined);
    const colors = colorsFor('stdout');
    await new Promise<void>((resolve) => {
      process.stdout.write(`${formatSummary(summary.delivered, summary.durationMs, this.meters, colors)}\n`, () => resolve());
    });
    if (this.droppedMessages > 0) {
      writeDiagnosticLine(`cscws: ${this.droppedMessages} earlier messages were shown in the table only`);
    }
    for (const line of this.heldMessages) {
      writeDiagnosticLine(line);
    }
  }

  /** Enters the alternate screen the first time there is something to show. */
  private show(): void {
    if (this.shown) {
      return;
    }
    this.shown = true;
    this.spinner.stop();
    this.screen.enter();
    process.stdout.on('resize', this.onResize);
    process.stdout.on('drain', this.onDrain);
    process.stdout.on('error', this.onError);
    if (process.stderr.isTTY === true) {
      // stderr is the same terminal, most likely: a line written there would land in the middle
      // of the table and vanish at the next redraw. Keep it, show it, and write it out at the end.
      redirectDiagnostics((line) => this.holdMessage(line));
    }
    this.scheduler.start();
  }

  private holdMessage(line: string): void {
    this.heldMessages.push(line);
    if (this.heldMessages.length > MAX_HELD_MESSAGES) {
      this.heldMessages.shift();
      this.droppedMessages++;
    }
    this.scheduler.request();
  }

  /**
   * Ends the run quietly when the terminal is gone (EIO after a hang-up, a closed pty), as a
   * closed pipe ends the line output. Any other write error is a bug and is raised.
   */
  private stdoutOnError(error: NodeJS.ErrnoException): void {
    // NOTE: no test closes the terminal under a running table; this path is checked by reading only.
    if (error.code === 'EIO' || error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      this.scheduler.stop();
      this.emit('closed');
      return;
    }
    throw error;
  }

  private stdoutOnResize(): void {
    for (const panel of this.listPanels.values()) {
      panel.rows.setCapacity(this.screen.rows);
    }
    this.scheduler.request();
  }

  private redraw(): void {
    const now = Date.now();
    const lines = composeFrame(
      {
        url: this.url,
        status: this.current,
        liveSinceMs: this.liveSinceMs,
        statusSinceMs: this.statusSinceMs,
        meters: this.meters,
        panels: this.panels,
        messages: this.heldMessages,
      },
      this.screen.columns,
      this.screen.rows,
      now,
      colorsFor('stdout'),
    );
    if (!this.screen.writeFrame(lines)) {
      this.scheduler.hold();
    }
  }
}
