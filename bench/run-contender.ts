// Runs one contender against the load server and measures it.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, createReadStream, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { Contender } from './contenders.js';
import { MIX_CHANNELS } from './frame-mixes.js';
import type { LoadServer, StreamRequest } from './load-server-process.js';
import type { UsageReport } from './usage-reporter.js';

const REPORTER_URL = new URL('./usage-reporter.js', import.meta.url).href;

/** Linux reports CPU times in /proc in clock ticks of 1/100 s on every common configuration. */
const CLOCK_TICKS_PER_SECOND = 100;

/** A contender that has not finished after this long is killed and its run counted as failed. */
const RUN_TIMEOUT_MS = 240_000;

const CURSOR_HOME = ['\x1b[H', '\x1b[1;1H'];

/** Terminal size given to a contender on a pseudo-terminal. */
const PTY_COLUMNS = 120;
const PTY_ROWS = 40;

export interface RunResult {
  contender: string;
  ok: boolean;
  error?: string;
  /** Notifications and their JSON bytes that the server sent. */
  sent: number;
  payloadBytes: number;
  /** From the first notification sent to the exit of the contender (and of `wc`), in seconds. */
  seconds: number;
  /** CPU time of the contender from the first notification to its exit, in seconds. */
  cpuSeconds: number;
  /** Peak resident set size of the contender, in MB (10^6 bytes). */
  peakRssMB: number;
  /** Notifications that reached the sink, where the sink can count them. */
  delivered?: number;
  /** Resident set size at each milestone, in MB. */
  rssAtMilestoneMB: Record<number, number>;
  /** Bytes the contender wrote to its pseudo-terminal, and the redraws among them (cursor-home sequences, an estimate). */
  ptyBytes?: number;
  ptyRedraws?: number;
}

let runNumber = 0;

function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

function readUsageLines(file: string): { pid?: number; usage?: UsageReport } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const result: { pid?: number; usage?: UsageReport } = {};
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const value = JSON.parse(line) as { pid?: number } & Partial<UsageReport>;
    if (value.pid !== undefined) result.pid = value.pid;
    if (value.userMicros !== undefined) result.usage = value as UsageReport;
  }
  return result;
}

/** CPU seconds used so far by `pid`, from /proc/PID/stat (utime + stime). */
function readCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Current resident set size of `pid` in MB, from VmRSS in /proc/PID/status. */
function readRssMB(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? undefined : (Number(match[1]) * 1024) / 1e6;
  } catch {
    return undefined;
  }
}

async function countLines(path: string): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(path)) {
    const buffer = chunk as Buffer;
    for (let index = buffer.indexOf(10); index !== -1; index = buffer.indexOf(10, index + 1)) {
      count++;
    }
  }
  return count;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

interface Launched {
  child: ChildProcess;
  done: Promise<unknown>;
  readDelivered: () => Promise<number | undefined>;
  ptyStats?: () => { bytes: number; redraws: number };
  cleanup: () => void;
}

function launch(contender: Contender, url: string, env: NodeJS.ProcessEnv, workFile: string): Launched {
  const nodeArgs = ['--import', REPORTER_URL, ...contender.args(url, MIX_CHANNELS[mixOf(url)])];
  // stdin stays an open pipe: wscat exits as soon as its stdin ends.
  switch (contender.sink) {
    case 'null': {
      const fd = openSync('/dev/null', 'w');
      const child = spawn(process.execPath, nodeArgs, { env, stdio: ['pipe', fd, 'pipe'] });
      closeSync(fd);
      return { child, done: once(child, 'close'), readDelivered: async () => undefined, cleanup: () => {} };
    }
    case 'file': {
      const fd = openSync(workFile, 'w');
      const child = spawn(process.execPath, nodeArgs, { env, stdio: ['pipe', fd, 'pipe'] });
      closeSync(fd);
      return {
        child,
        done: once(child, 'close'),
        readDelivered: async () => (await countLines(workFile)) - contender.extraLines,
        cleanup: () => rmSync(workFile, { force: true }),
      };
    }
    case 'wc': {
      const wc = spawn('wc', ['-l'], { stdio: ['pipe', 'pipe', 'inherit'] });
      let wcOutput = '';
      wc.stdout?.setEncoding('utf8').on('data', (text: string) => (wcOutput += text));
      const child = spawn(process.execPath, nodeArgs, { env, stdio: ['pipe', wc.stdin ?? 'ignore', 'pipe'] });
      // Only the contender may hold the pipe's write end, so that wc reads end of file when it exits.
      wc.stdin?.destroy();
      return {
        child,
        done: Promise.all([once(child, 'close'), once(wc, 'close')]),
        readDelivered: async () => Number(wcOutput.trim()) - contender.extraLines,
        cleanup: () => wc.kill('SIGKILL'),
      };
    }
    case 'pty': {
      // util-linux script(1) gives the contender a pseudo-terminal; its output comes back here.
      const command = `stty cols ${PTY_COLUMNS} rows ${PTY_ROWS}; exec ${[process.execPath, ...nodeArgs].map(shellQuote).join(' ')}`;
      const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let bytes = 0;
      let redraws = 0;
      // A redraw of a full-screen view starts by moving the cursor home: ESC [ H or ESC [ 1 ; 1 H.
      // Counting those is an estimate; a sequence split across two chunks is missed.
      child.stdout?.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (const home of CURSOR_HOME) {
          for (let index = chunk.indexOf(home); index !== -1; index = chunk.indexOf(home, index + 1)) {
            redraws++;
          }
        }
      });
      return {
        child,
        done: once(child, 'close'),
        readDelivered: async () => undefined,
        ptyStats: () => ({ bytes, redraws }),
        cleanup: () => {},
      };
    }
  }
}

function mixOf(url: string): keyof typeof MIX_CHANNELS {
  return new URL(url).searchParams.get('mix') as keyof typeof MIX_CHANNELS;
}

function failedRun(contender: Contender, rssAtMilestoneMB: Record<number, number>, error: string): RunResult {
  return { contender: contender.id, rssAtMilestoneMB, ok: false, error, sent: 0, payloadBytes: 0, seconds: 0, cpuSeconds: 0, peakRssMB: 0 };
}

export async function runContender(server: LoadServer, contender: Contender, request: StreamRequest): Promise<RunResult> {
  runNumber++;
  const usageFile = join(tmpdir(), `cscws-bench-${process.pid}-${runNumber}.usage`);
  const workFile = join(tmpdir(), `cscws-bench-${process.pid}-${runNumber}.out`);
  rmSync(usageFile, { force: true });

  let startedAt: number | undefined;
  let cpuAtStart: number | undefined;
  let finished: { sent: number; payloadBytes: number } | undefined;
  const rssAtMilestoneMB: Record<number, number> = {};
  const pidOf = (): number | undefined => readUsageLines(usageFile).pid;

  const stopListening = server.listen((message) => {
    if (message.type === 'started') {
      startedAt = message.at;
      const pid = pidOf();
      cpuAtStart = pid === undefined ? undefined : readCpuSeconds(pid);
    } else if (message.type === 'milestone') {
      const pid = pidOf();
      const rss = pid === undefined ? undefined : readRssMB(pid);
      if (rss !== undefined) rssAtMilestoneMB[message.sent] = rss;
      server.continueStream();
    } else if (message.type === 'finished') {
      finished = message;
    }
  });

  const env = { ...process.env, BENCH_USAGE_FILE: usageFile, NO_COLOR: '1' };
  const launched = launch(contender, server.url(request), env, workFile);
  let stderr = '';
  launched.child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
  const killer = setTimeout(() => launched.child.kill('SIGKILL'), RUN_TIMEOUT_MS);

  try {
    try {
      await launched.done;
    } catch (error) {
      // events.once rejects when the child emits `error`, as it does when `script` or `wc` is missing.
      return failedRun(contender, rssAtMilestoneMB, `could not run: ${(error as Error).message}`);
    }
    const exitedAt = epochNow();
    clearTimeout(killer);
    const { usage } = readUsageLines(usageFile);
    const delivered = await launched.readDelivered();
    const exitCode = launched.child.exitCode;

    const base = { contender: contender.id, rssAtMilestoneMB, ...(delivered === undefined ? {} : { delivered }) };
    const problem =
      exitCode !== 0
        ? `exit code ${String(exitCode)}${launched.child.signalCode === null ? '' : ` (${launched.child.signalCode})`}: ${stderr.trim().slice(-500)}`
        : usage === undefined
          ? 'no usage report'
          : startedAt === undefined || finished === undefined
            ? 'the server never streamed'
            : undefined;
    if (problem !== undefined || usage === undefined || startedAt === undefined || finished === undefined) {
      return { ...base, ok: false, error: problem, sent: finished?.sent ?? 0, payloadBytes: 0, seconds: 0, cpuSeconds: 0, peakRssMB: 0 };
    }

    const cpuTotal = (usage.userMicros + usage.systemMicros) / 1e6;
    const ptyStats = launched.ptyStats?.();
    return {
      ...base,
      ...(ptyStats === undefined ? {} : { ptyBytes: ptyStats.bytes, ptyRedraws: ptyStats.redraws }),
      ok: true,
      sent: finished.sent,
      payloadBytes: finished.payloadBytes,
      seconds: (exitedAt - startedAt) / 1000,
      cpuSeconds: cpuTotal - (cpuAtStart ?? 0),
      peakRssMB: (usage.maxRssKiB * 1024) / 1e6,
    };
  } finally {
    clearTimeout(killer);
    stopListening();
    launched.child.stdin?.destroy();
    launched.cleanup();
    rmSync(usageFile, { force: true });
  }
}
