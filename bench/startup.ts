import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

import { CSCWS_BIN } from './contenders.js';

export interface StartupCommand {
  label: string;
  args: string[];
}

export const STARTUP_COMMANDS: StartupCommand[] = [
  { label: 'node -e 0', args: ['-e', '0'] },
  { label: 'cscws --version', args: [CSCWS_BIN, '--version'] },
  { label: 'cscws --help', args: [CSCWS_BIN, '--help'] },
];

/** Runs each command `runs` times, alternating between them, and returns the wall times in milliseconds per label. */
export function measureStartup(runs: number): Map<string, number[]> {
  const times = new Map<string, number[]>(STARTUP_COMMANDS.map((command) => [command.label, []]));
  for (let run = 0; run < runs; run++) {
    for (const command of STARTUP_COMMANDS) {
      const start = performance.now();
      const result = spawnSync(process.execPath, command.args, { stdio: 'ignore' });
      const elapsed = performance.now() - start;
      if (result.status !== 0) {
        throw new Error(`start-up run of "${command.label}" exited with ${String(result.status)}`);
      }
      times.get(command.label)?.push(elapsed);
    }
  }
  return times;
}
