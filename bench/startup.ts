import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface StartupCommand {
  label: string;
  args: string[];
}

function startupCommands(cscwsBin: string): StartupCommand[] {
  return [
    { label: 'node -e 0', args: ['-e', '0'] },
    { label: 'cscws --version', args: [cscwsBin, '--version'] },
    { label: 'cscws --help', args: [cscwsBin, '--help'] },
  ];
}

/** Runs each command `runs` times, alternating between them, and returns the wall times in milliseconds per label. */
export function measureStartup(runs: number, cscwsBin: string): Map<string, number[]> {
  const commands = startupCommands(cscwsBin);
  const times = new Map<string, number[]>(commands.map((command) => [command.label, []]));
  for (let run = 0; run < runs; run++) {
    for (const command of commands) {
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
