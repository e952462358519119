import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { spawnCli } from './helpers/cli.js';
import { acceptAll, startScriptServer } from './helpers/script-server.js';

const NOTIFICATIONS = 50_000;
/** About 1 KB a notification, so that 50 MB would show in the client's memory if it buffered them. */
const PADDING = 'f'.repeat(960);

const mempool = (sequence: number): string =>
  `{"channel":"mempool","data":{"action":"added","txid":"${sequence}","size":1,"fee":0.1,"pad":"${PADDING}"}}`;

/** Resident set size of a process in MiB, from /proc (Linux); 0 once it has exited (a zombie has no VmRSS). */
function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('subscribe backpressure', () => {
  test('slow reader gets all 50,000 in order', async (t) => {
    const server = await startScriptServer((request, connection) => {
      acceptAll(request, connection);
      for (let sequence = 0; sequence < NOTIFICATIONS; sequence++) {
        connection.socket.send(mempool(sequence));
      }
    });
    const child = spawnCli(['subscribe', 'mempool', '--url', server.url, '-o', 'jsonl', '--count', String(NOTIFICATIONS)]);
    child.stdin.end();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const chunks: Buffer[] = [];
    let maxResident = 0;
    const sampler = setInterval(() => {
      try {
        maxResident = Math.max(maxResident, residentMiB(child.pid ?? 0));
      } catch {
        // The process has exited.
      }
    }, 50);

    try {
      // Slow phase: 2 KB every 100 ms, about 20 KB/s, for 4 s.
      const connection = await server.nextConnection();
      for (let tick = 0; tick < 40; tick++) {
        await sleep(100);
        const chunk = child.stdout.read(2048) as Buffer | null;
        if (chunk !== null) {
          chunks.push(chunk);
        }
      }
      const unsent = connection.socket.bufferedAmount;
      const slowResident = maxResident;

      // Fast phase: read everything.
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      const code = await exited;
      clearInterval(sampler);

      assert.equal(code, 0, stderr);
      // Most of the 50 MB had to wait in the server: the client stopped reading its socket.
      assert.ok(unsent > 20 * 1024 * 1024, `the server still held ${unsent} bytes after the slow phase`);
      assert.ok(slowResident < 150, `client RSS reached ${slowResident.toFixed(0)} MiB during the slow phase`);
      assert.ok(maxResident < 200, `client RSS reached ${maxResident.toFixed(0)} MiB`);

      const received = Buffer.concat(chunks).toString('utf8').split('\n');
      assert.equal(received.pop(), '', 'the output ends with a line break');
      assert.equal(received.length, NOTIFICATIONS);
      for (let sequence = 0; sequence < NOTIFICATIONS; sequence++) {
        if (received[sequence] !== mempool(sequence)) {
          assert.fail(`line ${sequence} is out of order or changed: ${received[sequence]?.slice(0, 100)}`);
        }
      }
      t.diagnostic(`${(unsent / 1048576).toFixed(1)} MiB waited in the server; client RSS max ${maxResident.toFixed(0)} MiB`);
    } finally {
      clearInterval(sampler);
      child.kill('SIGKILL');
      await server.close();
    }
  });
});
