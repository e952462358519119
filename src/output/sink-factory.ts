import type { OutputFormat } from '../commands/subscribe-plan.js';
import { formatEventJson, formatEventText } from './event-format.js';
import { LineSink } from './line-sink.js';
import { LineWriter } from './line-writer.js';
import type { NotificationSink } from './notification-sink.js';
import { formatTextLine } from './text-format.js';

/** Creates the sink for an output format, writing to stdout. */
export function createSink(output: OutputFormat): NotificationSink {
  const writer = new LineWriter(process.stdout);
  switch (output) {
    case 'jsonl':
      return new LineSink(writer, (frame) => frame.line, formatEventJson);
    case 'text':
      return new LineSink(writer, (frame) => formatTextLine(frame.line), formatEventText);
  }
}
