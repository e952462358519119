import type { OutputFormat } from '../commands/subscribe-plan.js';
import type { NotificationFrame } from '../protocol/frames.js';
import { LineSink } from './line-sink.js';
import { LineWriter } from './line-writer.js';
import type { NotificationSink } from './notification-sink.js';
import { formatTextLine } from './text-format.js';

/** Creates the sink for an output format, writing to stdout; `lineFormat` (--fields, --format) replaces its lines. */
export function createSink(output: OutputFormat, lineFormat?: (frame: NotificationFrame) => string): NotificationSink {
  const writer = new LineWriter(process.stdout);
  if (lineFormat !== undefined) {
    return new LineSink(writer, lineFormat);
  }
  switch (output) {
    case 'jsonl':
      return new LineSink(writer, (frame) => frame.line);
    case 'text':
      return new LineSink(writer, (frame) => formatTextLine(frame.line));
  }
}
