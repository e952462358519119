import type { OutputFormat } from '../commands/subscribe-plan.js';
import { colorsFor } from './color-policy.js';
import { LineSink } from './line-sink.js';
import { LineWriter } from './line-writer.js';
import type { NotificationSink } from './notification-sink.js';
import { formatTextLine } from './text-format.js';

/**
 * Creates the sink for an output format, writing to stdout. The table's modules (cli-table3, ora)
 * are loaded only when the table is chosen.
 */
export async function createSink(output: OutputFormat, channels: readonly string[] = []): Promise<NotificationSink> {
  if (output === 'table') {
    const { TableSink } = await import('./table/table-sink.js');
    return new TableSink(channels);
  }
  const writer = new LineWriter(process.stdout);
  switch (output) {
    case 'jsonl':
      return new LineSink(writer, (frame) => frame.line);
    case 'text': {
      const colors = colorsFor('stdout');
      return new LineSink(writer, (frame) => formatTextLine(frame.line, colors));
    }
  }
}
