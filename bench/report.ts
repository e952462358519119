// Turns the raw runs into Markdown: figures per contender, ratios, and each target met or missed.

import { CSCWS_BIN, type CscwsFeatures } from './contenders.js';
import type { MachineDescription } from './machine.js';
import type { RunResult } from './run-contender.js';
import type { BenchSettings } from './settings.js';
import { formatNumber, formatSummary, summarize, type Summary } from './statistics.js';

export interface BenchResults {
  settings: BenchSettings;
  features: CscwsFeatures;
  contenders: { id: string; label: string; unavailable: string | undefined }[];
  throughput: { small: Record<string, RunResult[]>; realistic: Record<string, RunResult[]> };
  addresses: Record<string, RunResult[]>;
  lossless: Record<string, RunResult[]>;
  memory: Record<string, Record<string, RunResult[]>>;
  /** Wall times in milliseconds per command. */
  startup: Record<string, number[]>;
  machineBefore: MachineDescription;
  machineAfter: MachineDescription;
  seconds: number;
}

type Verdict = 'met' | 'MISSED' | 'not measured';

interface TargetRow {
  target: string;
  measured: string;
  verdict: string;
}

const ok = (runs: RunResult[] | undefined): RunResult[] => (runs ?? []).filter((run) => run.ok);
const rate = (runs: RunResult[] | undefined): Summary | undefined => summarize(ok(runs).map((run) => run.sent / run.seconds));
const megabytesPerSecond = (runs: RunResult[] | undefined): Summary | undefined =>
  summarize(ok(runs).map((run) => run.payloadBytes / 1e6 / run.seconds));
const cpuPer100k = (runs: RunResult[] | undefined): Summary | undefined =>
  summarize(ok(runs).map((run) => (run.cpuSeconds / run.sent) * 100_000));
const peakRss = (runs: RunResult[] | undefined): Summary | undefined => summarize(ok(runs).map((run) => run.peakRssMB));

function ratio(a: Summary | undefined, b: Summary | undefined): number | undefined {
  return a === undefined || b === undefined || b.median === 0 ? undefined : a.median / b.median;
}

function formatRatio(value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(2);
}

function verdict(value: number | undefined, pass: (value: number) => boolean): Verdict {
  return value === undefined ? 'not measured' : pass(value) ? 'met' : 'MISSED';
}

/** Escapes the characters that would end a Markdown table cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** Combines the wall-clock verdict and the per-CPU-second verdict of a throughput target into one. */
function combinedVerdict(wall: Verdict, perCpu: Verdict): string {
  if (wall === perCpu) {
    return wall;
  }
  if (wall === 'met' && perCpu === 'MISSED') {
    return 'met on wall clock only';
  }
  if (wall === 'MISSED' && perCpu === 'met') {
    return 'met per CPU-second only';
  }
  return wall === 'not measured' ? perCpu : wall;
}

function labelOf(results: BenchResults, id: string): string {
  return cell(results.contenders.find((contender) => contender.id === id)?.label ?? id);
}

function throughputTable(results: BenchResults, mix: 'small' | 'realistic'): string {
  const runs = results.throughput[mix];
  const rows = results.contenders
    .filter((contender) => contender.id !== 'wscat-wc')
    .map((contender) => {
      if (contender.unavailable !== undefined) {
        return `| ${cell(contender.label)} | ${contender.unavailable} | | | | |`;
      }
      const all = runs[contender.id] ?? [];
      if (all.length === 0) {
        return undefined;
      }
      const failures = all.filter((run) => !run.ok);
      const failureNote = failures.length === 0 ? '' : ` (${failures.length} failed: ${cell((failures[0]?.error ?? '').slice(0, 160))})`;
      const delivered = ok(all).map((run) => run.delivered).filter((value): value is number => value !== undefined);
      const deliveredText = delivered.length === 0 ? '' : `${Math.min(...delivered).toLocaleString('en-US')}`;
      return `| ${cell(contender.label)} | ${formatSummary(rate(all))}${failureNote} | ${formatSummary(megabytesPerSecond(all))} | ${formatSummary(cpuPer100k(all))} | ${formatSummary(peakRss(all))} | ${deliveredText} |`;
    })
    .filter((row): row is string => row !== undefined);
  return [
    '| contender | msgs/s | MB/s | CPU s per 100k msgs | peak RSS MB | delivered (min) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function ratioTable(results: BenchResults): { table: string; targets: TargetRow[] } {
  const targets: TargetRow[] = [];
  const lines = ['| ratio | small | realistic |', '| --- | --- | --- |'];
  const pairs: [string, string, string, (runs: RunResult[] | undefined) => Summary | undefined][] = [
    ['msgs/s: cscws jsonl > /dev/null ÷ ceiling + output > /dev/null', 'cscws-jsonl', 'ceiling-output', rate],
    ['msgs/s: cscws jsonl | wc -l ÷ ceiling + output | wc -l', 'cscws-jsonl-wc', 'ceiling-output-wc', rate],
    ['msgs/s: cscws jsonl > /dev/null ÷ ceiling (count only)', 'cscws-jsonl', 'ceiling', rate],
    ['msgs/s: cscws jsonl > file ÷ wscat > file', 'cscws-jsonl-file', 'wscat-file', rate],
    ['CPU per msg: cscws jsonl ÷ ceiling + output', 'cscws-jsonl', 'ceiling-output', cpuPer100k],
    ['CPU per msg: cscws jsonl > file ÷ wscat > file', 'cscws-jsonl-file', 'wscat-file', cpuPer100k],
    ['CPU per msg: cscws jsonl --where ÷ cscws jsonl', 'cscws-where', 'cscws-jsonl', cpuPer100k],
    ['CPU per msg: cscws jsonl --fields ÷ cscws jsonl', 'cscws-fields', 'cscws-jsonl', cpuPer100k],
    ['CPU per msg: cscws table ÷ cscws jsonl', 'cscws-table', 'cscws-jsonl', cpuPer100k],
  ];
  const values: Record<string, { small?: number; realistic?: number }> = {};
  for (const [label, a, b, figure] of pairs) {
    const small = ratio(figure(results.throughput.small[a]), figure(results.throughput.small[b]));
    const realistic = ratio(figure(results.throughput.realistic[a]), figure(results.throughput.realistic[b]));
    values[label] = { small, realistic };
    lines.push(`| ${cell(label)} | ${formatRatio(small)} | ${formatRatio(realistic)} |`);
  }

  const table = values[pairs[8]![0]]!;
  const throughputTargets: [string, 'small' | 'realistic', string, string, number][] = [
    ['jsonl ≥ 0.9 × ceiling + output, small', 'small', 'cscws-jsonl', 'ceiling-output', 0.9],
    ['jsonl ≥ 0.9 × ceiling + output, realistic', 'realistic', 'cscws-jsonl', 'ceiling-output', 0.9],
    ['jsonl ≥ 1.5 × wscat, small', 'small', 'cscws-jsonl-file', 'wscat-file', 1.5],
    ['jsonl ≥ 1.3 × wscat, realistic', 'realistic', 'cscws-jsonl-file', 'wscat-file', 1.3],
  ];
  for (const [target, mix, id, reference, minimum] of throughputTargets) {
    const runs = results.throughput[mix];
    const wall = ratio(rate(runs[id]), rate(runs[reference]));
    // Messages per CPU-second: the inverse ratio of CPU time per message, steadier on a busy machine.
    const perCpu = ratio(cpuPer100k(runs[reference]), cpuPer100k(runs[id]));
    targets.push({
      target,
      measured: `wall clock ${formatRatio(wall)}, per CPU-second ${formatRatio(perCpu)}`,
      verdict: combinedVerdict(verdict(wall, (value) => value >= minimum), verdict(perCpu, (value) => value >= minimum)),
    });
  }
  targets.push(
    {
      target: 'table CPU per msg ≤ 1.5 × jsonl (small, realistic)',
      measured: `${formatRatio(table.small)}, ${formatRatio(table.realistic)}`,
      verdict:
        table.small === undefined || table.realistic === undefined
          ? 'not measured'
          : table.small <= 1.5 && table.realistic <= 1.5
            ? 'met'
            : 'MISSED',
    },
  );
  return { table: lines.join('\n'), targets };
}

function tableFrameRate(results: BenchResults): string {
  const lines: string[] = [];
  for (const mix of ['small', 'realistic'] as const) {
    const runs = ok(results.throughput[mix]['cscws-table']);
    if (runs.length === 0) continue;
    const redraws = summarize(runs.map((run) => (run.ptyRedraws ?? 0) / run.seconds));
    const bytes = summarize(runs.map((run) => (run.ptyBytes ?? 0) / 1e6 / run.seconds));
    lines.push(`| ${mix} | ${formatSummary(rate(runs))} | ${formatSummary(redraws)} | ${formatSummary(bytes)} |`);
  }
  if (lines.length === 0) {
    return 'Table mode on a pty: not available in this build.';
  }
  return [
    'Table mode on a pty (redraws counted as cursor-home sequences `ESC [ H` and `ESC [ 1 ; 1 H`, an estimate):',
    '',
    '| mix | msgs/s in | redraws/s | MB/s to the terminal |',
    '| --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}

function losslessTable(results: BenchResults): { table: string; targets: TargetRow[] } {
  const count = results.settings.burstCount;
  const rows = Object.entries(results.lossless).map(([id, runs]) => {
    const delivered = runs.map((run) => (run.delivered === undefined || !run.ok ? `failed` : run.delivered.toLocaleString('en-US')));
    return `| ${labelOf(results, id)} | ${delivered.join(', ')} |`;
  });
  const cscws = results.lossless['cscws-jsonl-wc'] ?? [];
  const allDelivered = cscws.every((run) => run.delivered === count);
  let losslessVerdict: Verdict = allDelivered ? 'met' : 'MISSED';
  if (cscws.length === 0) {
    losslessVerdict = 'not measured';
  }
  return {
    table: [`| contender | delivered of ${count.toLocaleString('en-US')}, each round |`, '| --- | --- |', ...rows].join('\n'),
    targets: [
      {
        target: `lossless: cscws | wc -l delivers all ${count.toLocaleString('en-US')} of a burst`,
        measured: cscws.map((run) => String(run.delivered ?? 'failed')).join(', ') || 'n/a',
        verdict: losslessVerdict,
      },
    ],
  };
}

function memoryTable(results: BenchResults): { table: string; targets: TargetRow[] } {
  const { memoryBaseline, memoryCount } = results.settings;
  const rows: string[] = [];
  const targets: TargetRow[] = [];
  let worst: number | undefined;
  let worstLabel = '';
  for (const [mix, byContender] of Object.entries(results.memory)) {
    for (const [id, runs] of Object.entries(byContender)) {
      const run = runs[0];
      const before = run?.rssAtMilestoneMB[memoryBaseline];
      const after = run?.rssAtMilestoneMB[memoryCount];
      if (run === undefined || !run.ok || before === undefined || after === undefined) {
        rows.push(`| ${labelOf(results, id)} | ${mix} | failed: ${run?.error ?? 'no sample'} | | |`);
        continue;
      }
      const growth = after - before;
      if (id.startsWith('cscws') && (worst === undefined || growth > worst)) {
        worst = growth;
        worstLabel = `${labelOf(results, id)}, ${mix}`;
      }
      rows.push(`| ${labelOf(results, id)} | ${mix} | ${formatNumber(before)} | ${formatNumber(after)} | ${formatNumber(growth, 2)} |`);
    }
  }
  targets.push({
    target: `memory: RSS after ${memoryCount.toLocaleString('en-US')} within 10 MB of RSS after ${memoryBaseline.toLocaleString('en-US')}, every cscws mode`,
    measured: worst === undefined ? 'n/a' : `worst ${formatNumber(worst, 2)} MB (${worstLabel})`,
    verdict: verdict(worst, (value) => value <= 10),
  });
  return {
    table: [
      `| contender | mix | RSS MB after ${memoryBaseline.toLocaleString('en-US')} | RSS MB after ${memoryCount.toLocaleString('en-US')} | growth MB |`,
      '| --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
    targets,
  };
}

function startupTable(results: BenchResults): { table: string; targets: TargetRow[] } {
  const base = summarize(results.startup['node -e 0'] ?? []);
  const rows = Object.entries(results.startup).map(([label, times]) => {
    const summary = summarize(times);
    return `| ${label} | ${formatSummary(summary)} | ${formatRatio(ratio(summary, base))} |`;
  });
  const version = ratio(summarize(results.startup['cscws --version'] ?? []), base);
  return {
    table: ['| command | wall ms, median (min–max) | ÷ node -e 0 |', '| --- | --- | --- |', ...rows].join('\n'),
    targets: [{ target: 'start-up: cscws --version ≤ 2 × node -e 0', measured: formatRatio(version), verdict: verdict(version, (value) => value <= 2) }],
  };
}

function addressTable(results: BenchResults): { table: string; targets: TargetRow[] } {
  const one = results.addresses['cscws-addresses-1'];
  const many = results.addresses['cscws-addresses-10000'];
  const manyOverOne = ratio(rate(many), rate(one));
  const note = results.features.addressCheck ? '' : ' This build does not check addresses, so the figure shows the cost of sending and holding them only.';
  return {
    table: [
      '| watched addresses | msgs/s | CPU s per 100k msgs |',
      '| --- | --- | --- |',
      `| 1 | ${formatSummary(rate(one))} | ${formatSummary(cpuPer100k(one))} |`,
      `| 10,000 | ${formatSummary(rate(many))} | ${formatSummary(cpuPer100k(many))} |`,
      '',
      `10,000 ÷ 1: ${formatRatio(manyOverOne)}.${note}`,
    ].join('\n'),
    targets: [
      {
        target: '10,000 watched addresses cost < 10% of throughput against 1',
        measured: `ratio ${formatRatio(manyOverOne)}${results.features.addressCheck ? '' : ' (address checks not in this build)'}`,
        verdict: verdict(manyOverOne, (value) => value > 0.9),
      },
    ],
  };
}

export function renderReport(results: BenchResults): string {
  const { settings, machineBefore: before, machineAfter: after } = results;
  const ratios = ratioTable(results);
  const lossless = losslessTable(results);
  const memory = memoryTable(results);
  const startup = startupTable(results);
  const addresses = addressTable(results);
  const targets = [...ratios.targets, ...lossless.targets, ...memory.targets, ...startup.targets, ...addresses.targets];

  return `${[
    `## Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${before.cpu}, ${before.cores} cores, ${before.memoryGB} GB, ${before.kernel}, Node.js ${before.node}. ` +
      `Load average before ${before.load.join(' ')}, after ${after.load.join(' ')}. ` +
      `${settings.quick ? 'Quick mode, ' : ''}${settings.rounds} round(s); the run took ${Math.round(results.seconds)} s.` +
      (settings.cscwsBin === CSCWS_BIN ? '' : ` cscws measured: ${settings.cscwsBin}.`),
    '',
    `### Throughput, small mix (mempool added, about 150 bytes; ${settings.smallCount.toLocaleString('en-US')} per run)`,
    '',
    throughputTable(results, 'small'),
    '',
    `### Throughput, realistic mix (new-transactions from the fixture; ${settings.realisticCount.toLocaleString('en-US')} per run)`,
    '',
    throughputTable(results, 'realistic'),
    '',
    '### Ratios of medians',
    '',
    ratios.table,
    '',
    tableFrameRate(results),
    '',
    '### Lossless burst (the server closes right after the last notification)',
    '',
    lossless.table,
    '',
    '### Memory',
    '',
    memory.table,
    '',
    '### Start-up',
    '',
    startup.table,
    '',
    `### Watched addresses (address-transactions, ${settings.addressCount.toLocaleString('en-US')} per run)`,
    '',
    addresses.table,
    '',
    '### Targets',
    '',
    '| target | measured | verdict |',
    '| --- | --- | --- |',
    ...targets.map((row) => `| ${cell(row.target)} | ${row.measured} | ${row.verdict} |`),
  ].join('\n')}\n`;
}
