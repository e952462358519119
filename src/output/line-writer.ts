import { EventEmitter } from 'node:events';

/** Flush at once when this many characters are waiting, instead of at the end of the tick. */
const FLUSH_THRESHOLD = 64 * 1024;

/**
 * Writes lines to a stream (stdout), gathering the lines of one event-loop turn into one write:
 * as fast as line-by-line for a reader, far cheaper for a burst. Reports backpressure through
 * `ready` and emits `drain` when the stream takes data again, and `closed` when the reader went
 * away (EPIPE), after which lines are discarded quietly.
 *
 * Events: `drain`, `closed`.
 */
export class LineWriter extends EventEmitter {
  private pending: string[] = [];
  private pendingLength = 0;
  private flushScheduled = false;
  private blocked = false;
  private readerGone = false;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (error: NodeJS.ErrnoException) => this.streamOnError(error));
    stream.on('drain', () => this.streamOnDrain());
  }

  /** False while the stream is applying backpressure: the caller should stop producing. */
  get ready(): boolean {
    return !this.blocked && !this.readerGone;
  }

  /** True once the reader has closed the pipe. */
  get closed(): boolean {
    return this.readerGone;
  }

  /** Queues one line; `line` must not contain a line break. */
  writeLine(line: string): void {
    if (this.readerGone) {
      return;
    }
    this.pending.push(line, '\n');
    this.pendingLength += line.length + 1;

    if (this.pendingLength >= FLUSH_THRESHOLD) {
      this.flush();
    } else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes whatever is queued now. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.readerGone) {
      return;
    }
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;

    if (!this.stream.write(chunk)) {
      this.blocked = true;
    }
  }

  /** Resolves once every queued line has been handed to the stream and the stream has flushed it. */
  async end(): Promise<void> {
    this.flush();
    if (this.readerGone) {
      return;
    }
    await new Promise<void>((resolve) => {
      this.stream.write('', () => resolve());
    });
  }

  private streamOnDrain(): void {
    this.blocked = false;
    this.emit('drain');
  }

  private streamOnError(error: NodeJS.ErrnoException): void {
    // A reader that exits early (`| head -3`) is a normal end, not a failure.
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      if (!this.readerGone) {
        this.readerGone = true;
        this.pending = [];
        this.pendingLength = 0;
        this.emit('closed');
      }
      return;
    }
    this.emit('error', error);
  }
}
