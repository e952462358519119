import { Unicode11Addon } from '@xterm/addon-unicode11';
import xterm from '@xterm/headless';
import { spawn, type IPty } from 'node-pty';

import { FRAME_START } from '../../src/output/table/terminal-screen.js';
import { CLI_PATH, cliEnvironment } from './cli.js';

const { Terminal } = xterm;
type HeadlessTerminal = InstanceType<typeof Terminal>;

export interface PtyOptions {
  columns?: number;
  rows?: number;
  /** Added to the environment of `cliEnvironment`, which sets NO_COLOR=1 unless this overrides it. */
  env?: Record<string, string | undefined>;
  /** Kill the child after this many milliseconds, so a hung run fails its test instead of the suite. */
  killAfterMs?: number;
  /** The script to run instead of the CLI, with `args` as its arguments. */
  script?: string;
}

export interface PtyExit {
  exitCode: number;
  signal: number | undefined;
}

/**
 * The CLI running in a real pseudo-terminal, its output fed into a headless xterm.js, so tests
 * assert on the screen a user would see: the alternate or normal buffer, and the rendered rows.
 */
export class PtyCli {
  readonly terminal: HeadlessTerminal;
  readonly exited: Promise<PtyExit>;
  private readonly child: IPty;
  private raw = '';
  private pending: Promise<void> = Promise.resolve();

  constructor(args: string[], options: PtyOptions = {}) {
    const columns = options.columns ?? 100;
    const rows = options.rows ?? 30;
    this.terminal = new Terminal({ cols: columns, rows, allowProposedApi: true, scrollback: 1000 });
    // Unicode 11 widths: emoji take two columns, as in current terminals and in string-width.
    this.terminal.loadAddon(new Unicode11Addon());
    this.terminal.unicode.activeVersion = '11';

    // A user's terminal, not a CI job: with CI set, Node's getColorDepth reports two colours, so
    // the CLI would rightly draw no colour, whatever TERM says.
    const env = cliEnvironment({ TERM: 'xterm-256color', CI: undefined, ...options.env });
    this.child = spawn(process.execPath, [options.script ?? CLI_PATH, ...args], {
      name: 'xterm-256color',
      cols: columns,
      rows,
      env: Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    });
    this.child.onData((data) => {
      this.raw += data;
      this.pending = new Promise((resolve) => this.terminal.write(data, resolve));
    });

    const killer = setTimeout(() => this.child.kill('SIGKILL'), options.killAfterMs ?? 30_000);
    this.exited = new Promise((resolve) => {
      this.child.onExit(({ exitCode, signal }) => {
        clearTimeout(killer);
        // Let the last output reach the emulator before the test reads the screen.
        setTimeout(() => void this.pending.then(() => resolve({ exitCode, signal })), 100);
      });
    });
  }

  /** The process id of the program in the terminal. */
  get pid(): number {
    return this.child.pid;
  }

  /** Everything the program wrote, escape sequences included. */
  output(): string {
    return this.raw;
  }

  /** Returns the rows of the screen now shown (alternate or normal), trailing spaces removed. */
  screen(): string[] {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < this.terminal.rows; y++) {
      // A line keeps its cells beyond the right edge after the terminal narrows; they are not shown.
      lines.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true, 0, this.terminal.cols) ?? '');
    }
    return lines;
  }

  /** Returns the normal screen's whole content, scrollback included. */
  normalScreenText(): string {
    const buffer = this.terminal.buffer.normal;
    let text = '';
    for (let y = 0; y < buffer.length; y++) {
      const line = buffer.getLine(y);
      // A row that continues the one above (a long line wrapped by the terminal) joins it.
      text += (y === 0 || line?.isWrapped === true ? '' : '\n') + (line?.translateToString(true) ?? '');
    }
    return text;
  }

  isAlternateScreen(): boolean {
    return this.terminal.buffer.active.type === 'alternate';
  }

  /** Tells whether the cursor is visible: the last show-cursor sequence came after the last hide-cursor one. */
  isCursorVisible(): boolean {
    return this.raw.lastIndexOf('\u001b[?25l') < this.raw.lastIndexOf('\u001b[?25h') || !this.raw.includes('\u001b[?25l');
  }

  /** Lists the terminal columns at which `│` is drawn on screen row `y`, wide characters counted as two. */
  borderColumns(y: number): number[] {
    const buffer = this.terminal.buffer.active;
    const line = buffer.getLine(buffer.viewportY + y);
    const columns: number[] = [];
    for (let x = 0; x < this.terminal.cols; x++) {
      if (line?.getCell(x)?.getChars() === '│') {
        columns.push(x);
      }
    }
    return columns;
  }

  /** Waits until `predicate` holds for the screen, checking after each output and every 100 ms. */
  async waitForScreen(predicate: (lines: string[]) => boolean, what: string, timeoutMs = 15_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.pending;
      const lines = this.screen();
      if (predicate(lines)) {
        return lines;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; screen:\n${lines.join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Frames drawn so far: each frame starts with the same marker (see terminal-screen.ts). */
  frameCount(): number {
    return this.raw.split(FRAME_START).length - 1;
  }

  /** Waits for the next frame to be drawn and rendered, such as after a resize. */
  async waitForNextFrame(timeoutMs = 10_000): Promise<string[]> {
    const before = this.frameCount();
    const deadline = Date.now() + timeoutMs;
    while (this.frameCount() <= before) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for a frame; screen:\n${this.screen().join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The frame may have arrived in pieces: let the rest of it come in and render.
    await new Promise((resolve) => setTimeout(resolve, 150));
    await this.pending;
    return this.screen();
  }

  /** Tells whether any screen row continues the row above it, which a line wider than the terminal causes. */
  hasWrappedLines(): boolean {
    const buffer = this.terminal.buffer.active;
    for (let y = 0; y < this.terminal.rows; y++) {
      if (buffer.getLine(buffer.viewportY + y)?.isWrapped === true) {
        return true;
      }
    }
    return false;
  }

  write(data: string): void {
    this.child.write(data);
  }

  resize(columns: number, rows: number): void {
    this.child.resize(columns, rows);
    this.terminal.resize(columns, rows);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}
