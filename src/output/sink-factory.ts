import type { OutputFormat } from '../commands/subscribe-plan.js';
import type { NotificationFrame } from '../protocol/frames.js';
import { colorsFor } from './color-policy.js';
import { formatEventJson, formatEventText } from './event-format.js';
import { LineSink } from './line-sink.js';
import { LineWriter } from './line-writer.js';
import type { NotificationSink } from './notification-sink.js';
import { formatTextLine } from './text-format.js';

/**
 * Creates the sink for an output format, writing to stdout. `lineFormat` (--fields, --format,
 * --envelope) replaces the lines of jsonl and text. The table's modules (cli-table3, ora) are
 * loaded only when the table is chosen.
 */
export async function createSink(
  output: OutputFormat,
  channels: readonly string[] = [],
  lineFormat?: (frame: NotificationFrame) => string,
): Promise<NotificationSink> {
  // --fields, --format and --envelope write lines, so they replace the table a terminal gets by default.
  if (output === 'table' && lineFormat === undefined) {
    const { TableSink } = await import('./table/table-sink.js');
    return new TableSink(channels);
  }

  const writer = new LineWriter(process.stdout);
  if (output === 'text' && lineFormat === undefined) {
    const colors = colorsFor('stdout');
    return new LineSink(writer, (frame) => formatTextLine(frame.line, colors), formatEventText);
  }
  return new LineSink(writer, lineFormat ?? ((frame) => frame.line), formatEventJson);
}
