import { writeSync } from 'node:fs';

/** Switches to the alternate screen, which the terminal restores on leaving it, and hides the cursor. */
const ENTER = '\u001b[?1049h\u001b[?25l';
/** Shows the cursor and returns to the normal screen as it was before. */
const LEAVE = '\u001b[?25h\u001b[?1049l';
/**
 * Starts a frame: begin a synchronized update (terminals that support mode 2026 show the frame
 * at once, others ignore it), then move the cursor to the top left. Exactly one per frame, so
 * tests count frames by it.
 */
export const FRAME_START = '\u001b[?2026h\u001b[H';
/** Ends a frame: clear below the last line, then end the synchronized update. */
const FRAME_END = '\u001b[J\u001b[?2026l';
/** Clears the rest of a line after its text. */
const CLEAR_TO_END_OF_LINE = '\u001b[K';

const ETX = '\u0003';

/** Screens that are entered and not yet left, restored by the process-wide safety net. */
const entered = new Set<TerminalScreen>();
let safetyNetInstalled = false;

/**
 * The terminal behind stdout while the live table covers it. `enter` and `leave` are idempotent.
 * Besides `leave`, a process `exit` listener restores the terminal, so a `process.exit` anywhere,
 * an uncaught error, or a second Ctrl-C never leaves the user on the alternate screen without a
 * cursor. Only SIGKILL and a crash of Node itself bypass it.
 */
export class TerminalScreen {
  private rawInput = false;
  private readonly onKey = (data: Buffer | string): void => this.stdinOnData(data);

  constructor(
    private readonly output: NodeJS.WriteStream & { fd: number },
    private readonly input: NodeJS.ReadStream,
  ) {}

  get active(): boolean {
    return entered.has(this);
  }

  get columns(): number {
    return this.output.columns || 80;
  }

  get rows(): number {
    return this.output.rows || 24;
  }

  /**
   * Enters the alternate screen and hides the cursor. When stdin is a terminal, it is put in raw
   * mode so that keys typed while the table runs are not echoed over it. There, `q` and Ctrl-C
   * raise SIGINT, which ends the run as Ctrl-C always does.
   */
  enter(): void {
    if (this.active) {
      return;
    }
    installSafetyNet();
    entered.add(this);
    this.output.write(ENTER);
    if (this.input.isTTY === true) {
      this.input.setRawMode(true);
      this.input.on('data', this.onKey);
      this.input.resume();
      this.rawInput = true;
    }
  }

  /** Writes one frame; returns false when the output buffer is full, as `stream.write` does. */
  writeFrame(lines: readonly string[]): boolean {
    if (!this.active) {
      return true;
    }
    return this.output.write(`${FRAME_START}${lines.map((line) => line + CLEAR_TO_END_OF_LINE).join('\r\n')}${FRAME_END}`);
  }

  /** Shows the cursor, returns to the normal screen and gives stdin back its usual mode. */
  leave(): void {
    if (!this.active) {
      return;
    }
    entered.delete(this);
    this.restoreInput();
    this.output.write(LEAVE);
  }

  /** Synchronous restore for the `exit` safety net, where asynchronous writes no longer run. */
  restoreNow(): void {
    entered.delete(this);
    this.restoreInput();
    try {
      writeSync(this.output.fd, LEAVE);
    } catch {
      // The terminal is gone (EIO after a hang-up); there is nothing left to restore.
    }
  }

  private restoreInput(): void {
    if (!this.rawInput) {
      return;
    }
    this.rawInput = false;
    this.input.off('data', this.onKey);
    try {
      this.input.setRawMode(false);
    } catch {
      // As above: a terminal that went away keeps no mode.
    }
    this.input.pause();
  }

  private stdinOnData(data: Buffer | string): void {
    const text = data.toString();
    if (text.includes(ETX) || text === 'q' || text === 'Q') {
      process.kill(process.pid, 'SIGINT');
    }
  }
}

function installSafetyNet(): void {
  if (safetyNetInstalled) {
    return;
  }
  safetyNetInstalled = true;
  const restoreAll = (): void => {
    for (const screen of [...entered]) {
      screen.restoreNow();
    }
  };
  process.on('exit', restoreAll);
  // Runs before Node prints an uncaught error, so the error lands on the normal screen, where
  // the user can read it after the program has ended.
  process.on('uncaughtExceptionMonitor', restoreAll);
}
