import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real CLI entry point; compiled helpers live in dist/test/helpers. */
const CLI_PATH = fileURLToPath(new URL('../../../bin/cscws.js', import.meta.url));

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A `cscws devnode` child process whose URL has been printed. */
export interface DevnodeProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  port: number;
  /** Everything written on stderr so far. */
  stderr(): string;
  /** Resolves when stderr contains text matching `pattern`. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<ProcessExit>;
  /** Sends SIGKILL unless the process has already exited; for test clean-up. */
  kill(): void;
}

/** Environment for a child CLI: no inherited CSCWS_* settings, no colour, no debug output. */
export function devnodeEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('CSCWS_') && key !== 'NODE_DEBUG' && key !== 'FORCE_COLOR') {
      env[key] = value;
    }
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Spawns `cscws devnode ARGS` and resolves once its first stdout line (the URL) arrived. */
export async function startDevnodeProcess(args: string[], env: Record<string, string> = {}): Promise<DevnodeProcess> {
  const child = spawn(process.execPath, [CLI_PATH, 'devnode', ...args], { env: devnodeEnvironment(env), stdio: 'pipe' });
  child.stdin.end();

  let stdout = '';
  let stderr = '';
  let running = true;
  const stderrListeners = new Set<() => void>();

  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    stderrListeners.forEach((listener) => listener());
  });
  const exited = new Promise<ProcessExit>((resolve) => {
    child.on('close', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`devnode printed no URL within 15 s; stderr: ${stderr}`)), 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline !== -1) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`devnode exited (${exit.code ?? exit.signal}) before printing its URL; stderr: ${stderr}`));
    });
  });

  const waitForStderr = (pattern: RegExp, timeoutMs = 10_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (pattern.test(stderr)) {
          stderrListeners.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        stderrListeners.delete(check);
        reject(new Error(`timed out waiting for ${pattern} on devnode stderr; saw: ${stderr.slice(-2000)}`));
      }, timeoutMs);
      stderrListeners.add(check);
      check();
    });

  return {
    child,
    url,
    port: Number(new URL(url).port),
    stderr: () => stderr,
    waitForStderr,
    exited,
    kill: () => {
      if (running) {
        child.kill('SIGKILL');
      }
    },
  };
}

/** Runs `cscws devnode ARGS`, expecting it to exit by itself, and returns its exit and output. */
export async function runDevnodeToExit(
  args: string[],
  timeoutMs = 15_000,
): Promise<ProcessExit & { stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI_PATH, 'devnode', ...args], { env: devnodeEnvironment(), stdio: 'pipe' });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);

  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
