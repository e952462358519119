// Preloaded with `node --import` into every contender, so that each one reports its own pid at
// start and its exact CPU time and peak RSS at exit, the same way for cscws, wscat and the
// ceiling. Writes JSON lines to the file named by BENCH_USAGE_FILE. A process killed by a signal
// writes no exit line.

import { appendFileSync } from 'node:fs';

export interface UsageReport {
  /** CPU time in user and kernel mode, in microseconds. */
  userMicros: number;
  systemMicros: number;
  /** Peak resident set size, in KiB. */
  maxRssKiB: number;
}

const file = process.env.BENCH_USAGE_FILE;
if (file !== undefined && file !== '') {
  appendFileSync(file, `${JSON.stringify({ pid: process.pid })}\n`);
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const report: UsageReport = { userMicros: usage.userCPUTime, systemMicros: usage.systemCPUTime, maxRssKiB: usage.maxRSS };
    appendFileSync(file, `${JSON.stringify(report)}\n`);
  });
}
