import { EventEmitter } from 'node:events';

import type { NotificationFrame } from '../protocol/frames.js';
import type { StreamEvent } from '../stream/stream-event.js';
import type { LineWriter } from './line-writer.js';
import type { NotificationSink, RunStatus } from './notification-sink.js';

/**
 * A sink that writes one line per notification, made by `format`: the received text for JSON
 * lines, or a readable text line.
 */
export class LineSink extends EventEmitter implements NotificationSink {
  constructor(
    private readonly writer: LineWriter,
    private readonly format: (frame: NotificationFrame) => string,
    private readonly formatEvent: (event: StreamEvent) => string = () => '',
  ) {
    super();
    writer.on('drain', () => this.emit('drain'));
    writer.on('closed', () => this.emit('closed'));
  }

  get ready(): boolean {
    return this.writer.ready;
  }

  deliver(frame: NotificationFrame): void {
    this.writer.writeLine(this.format(frame));
  }

  event(event: StreamEvent): void {
    this.writer.writeLine(this.formatEvent(event));
  }

  status(_status: RunStatus): void {}

  async end(): Promise<void> {
    await this.writer.end();
  }
}
