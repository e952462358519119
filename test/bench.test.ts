import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import type { BenchResults } from '../bench/report.js';

const BENCH_SCRIPT = fileURLToPath(new URL('../bench/run.js', import.meta.url));

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BENCH_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const killer = setTimeout(() => child.kill('SIGKILL'), 110_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

// Checks that the harness runs end to end and reports every section; speed is not asserted.
test('bench quick mode runs every section', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'cscws-bench-test-'));
  const jsonFile = join(directory, 'results.json');
  try {
    const result = await runBench(['--quick', '--scale', '0.02', '--json', jsonFile]);
    assert.equal(result.code, 0, result.stderr.slice(-3000));

    for (const heading of ['### Throughput, small mix', '### Throughput, realistic mix', '### Ratios of medians', '### Lossless burst', '### Memory', '### Start-up', '### Watched addresses', '### Targets']) {
      assert.ok(result.stdout.includes(heading), `missing "${heading}" in:\n${result.stdout}`);
    }

    const results = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchResults;
    for (const mix of ['small', 'realistic'] as const) {
      for (const id of ['ceiling', 'ceiling-output', 'cscws-jsonl', 'cscws-jsonl-wc', 'wscat-file']) {
        const runs = results.throughput[mix][id] ?? [];
        assert.equal(runs.length, 1, `${mix} ${id}: one run expected`);
        assert.ok(runs[0]?.ok, `${mix} ${id} failed: ${runs[0]?.error ?? ''}`);
        assert.equal(runs[0]?.sent, results.settings[mix === 'small' ? 'smallCount' : 'realisticCount'], `${mix} ${id} sent`);
      }
    }

    const burst = results.lossless['cscws-jsonl-wc'] ?? [];
    assert.equal(burst[0]?.delivered, results.settings.burstCount, 'cscws must deliver the whole burst');
    assert.deepEqual(Object.keys(results.startup).sort(), ['cscws --help', 'cscws --version', 'node -e 0']);

    const memory = results.memory.small?.['cscws-jsonl']?.[0];
    assert.ok(memory?.ok, `memory run failed: ${memory?.error ?? 'missing'}`);
    assert.equal(Object.keys(memory.rssAtMilestoneMB).length, 2, 'RSS sampled at both milestones');

    for (const contender of results.contenders.filter((entry) => entry.unavailable !== undefined)) {
      assert.ok(result.stdout.includes(`${contender.unavailable}`), `${contender.id} must be reported as unavailable`);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
