import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineDescription {
  cpu: string;
  cores: number;
  memoryGB: number;
  node: string;
  kernel: string;
  /** 1, 5 and 15 minute load averages, as `uptime` shows them. */
  load: number[];
}

export function describeMachine(): MachineDescription {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGB: Math.round(totalmem() / 1e9),
    node: process.version,
    kernel: spawnSync('uname', ['-sr'], { encoding: 'utf8' }).stdout.trim(),
    load: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
