import type { ChalkInstance } from 'chalk';

import { formatDuration, groupThousands } from './cell-format.js';
import type { RateMeter } from './rate-meter.js';

/**
 * Formats the line left on the normal screen when the table ends: the total, how long the run took, and
 * each channel's count. `1,240 notifications in 2m 05s: new-blocks 2, mempool 1,238`.
 */
export function formatSummary(delivered: number, durationMs: number, meters: ReadonlyMap<string, RateMeter>, colors: ChalkInstance): string {
  const noun = delivered === 1 ? 'notification' : 'notifications';
  const perChannel = [...meters].map(([channel, meter]) => `${channel} ${groupThousands(String(meter.total))}`).join(', ');
  return `${colors.bold(`${groupThousands(String(delivered))} ${noun}`)} in ${formatDuration(durationMs)}: ${perChannel}`;
}
