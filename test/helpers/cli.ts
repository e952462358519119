import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real CLI entry point, as a user runs it. Compiled tests live in dist/test/helpers. */
export const CLI_PATH = fileURLToPath(new URL('../../../bin/cscws.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  /** Kill the child after this many milliseconds; the test then fails on its exit code. */
  killAfterMs?: number;
}

/** Environment for a child CLI: no inherited CSCWS_* settings, no colour, no debug output. */
export function cliEnvironment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('CSCWS_') && key !== 'NODE_DEBUG' && key !== 'FORCE_COLOR') {
      env[key] = value;
    }
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

export function spawnCli(args: string[], options: CliOptions = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [CLI_PATH, ...args], {
    env: cliEnvironment(options.env),
    stdio: 'pipe',
  });
}

/** Runs the CLI to completion and collects everything it wrote. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const cli = startCli(args, options);
  cli.child.stdin.end();
  return cli.result;
}

/** A CLI child whose output is collected from the moment it starts. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout (or stderr) has matched `pattern`, with everything read so far. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<string>;
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
  result: Promise<CliResult>;
}

export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const child = spawnCli(args, options);
  return watchChild(child, options.killAfterMs ?? 30_000);
}

export function watchChild(child: ChildProcessWithoutNullStreams, killAfterMs = 30_000): RunningCli {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);

  const result = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });

  const waitFor = (read: () => string, stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs = 15_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (pattern.test(read())) {
          clearTimeout(timer);
          stream.off('data', check);
          resolve(read());
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        stream.off('data', check);
        reject(new Error(`timed out waiting for ${pattern}; stdout: ${stdout.slice(-1500)}; stderr: ${stderr.slice(-1500)}`));
      }, timeoutMs);
      if (!check()) {
        // Listeners run in order, so the collector above has appended the chunk before this check.
        stream.on('data', check);
      }
    });

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStdout: (pattern, timeoutMs) => waitFor(() => stdout, child.stdout, pattern, timeoutMs),
    waitForStderr: (pattern, timeoutMs) => waitFor(() => stderr, child.stderr, pattern, timeoutMs),
    result,
  };
}

export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
