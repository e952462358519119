// `npm run bench`: measures cscws against a minimal client on the same stack (the ceiling) and
// against wscat, in one run, and prints the results as Markdown tables on stdout. Progress goes to
// stderr. docs/benchmarks.md explains the method and contains a recorded run.

import { writeFileSync } from 'node:fs';

import { addressContender, buildContenders, probeCscwsFeatures, type Contender } from './contenders.js';
import { fixtureAddresses, type MixName } from './frame-mixes.js';
import { LoadServer } from './load-server-process.js';
import { renderReport, type BenchResults } from './report.js';
import { runContender, type RunResult } from './run-contender.js';
import { parseSettings } from './settings.js';
import { describeMachine } from './machine.js';
import { measureStartup } from './startup.js';

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

/** Rotates `items` by `round`, so that no contender always runs first on a cooled-down machine. */
function rotate<T>(items: readonly T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

function describeRun(result: RunResult): string {
  if (!result.ok) {
    return `FAILED: ${result.error ?? 'unknown'}`;
  }
  return `${Math.round(result.sent / result.seconds).toLocaleString('en-US')} msgs/s, ${result.cpuSeconds.toFixed(2)} s CPU`;
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  if (settings === undefined) {
    return;
  }
  const machineBefore = describeMachine();
  const started = Date.now();

  const features = probeCscwsFeatures(settings.cscwsBin);
  progress(`cscws features: ${JSON.stringify(features)}`);
  const contenders = buildContenders(features, { where: settings.where, fields: settings.fields }, settings.cscwsBin);
  const isSelected = (id: string): boolean => settings.contenderIds === undefined || settings.contenderIds.has(id);
  const runnable = contenders.filter((contender) => contender.unavailable === undefined && isSelected(contender.id));

  const results: BenchResults = {
    settings,
    features,
    contenders: contenders.map(({ id, label, unavailable }) => ({ id, label, unavailable })),
    throughput: { small: {}, realistic: {} },
    addresses: {},
    lossless: {},
    memory: {},
    startup: {},
    machineBefore,
    machineAfter: machineBefore,
    seconds: 0,
  };

  if (settings.sections.has('startup')) {
    progress('start-up times');
    for (const [label, times] of measureStartup(settings.startupRuns, settings.cscwsBin)) {
      results.startup[label] = times;
    }
  }

  const server = await LoadServer.start();
  try {
    const record = (table: Record<string, RunResult[]>, result: RunResult): void => {
      (table[result.contender] ??= []).push(result);
    };

    const throughputContenders = runnable.filter((contender) => contender.id !== 'wscat-wc');
    const watchedOne = addressContender(fixtureAddresses(1), settings.cscwsBin);
    const watchedMany = addressContender(fixtureAddresses(10_000), settings.cscwsBin);
    for (let round = 0; round < settings.rounds; round++) {
      for (const mix of settings.sections.has('throughput') ? (['small', 'realistic'] as MixName[]) : []) {
        const count = mix === 'small' ? settings.smallCount : settings.realisticCount;
        for (const contender of rotate(throughputContenders, round)) {
          const result = await runContender(server, contender, { mix, count });
          progress(`round ${round + 1}/${settings.rounds} ${mix} ${contender.label}: ${describeRun(result)}`);
          record(results.throughput[mix as 'small' | 'realistic'], result);
        }
      }
      const addressContenders = settings.sections.has('addresses') ? [watchedOne, watchedMany].filter((contender) => isSelected(contender.id)) : [];
      for (const contender of rotate(addressContenders, round)) {
        const result = await runContender(server, contender, { mix: 'address', count: settings.addressCount });
        progress(`round ${round + 1}/${settings.rounds} address ${contender.label}: ${describeRun(result)}`);
        record(results.addresses, result);
      }
    }

    const burstContenders = settings.sections.has('lossless') ? runnable.filter((contender) => contender.sink === 'wc') : [];
    for (let round = 0; round < settings.burstRounds; round++) {
      for (const contender of rotate(burstContenders, round)) {
        const result = await runContender(server, contender, { mix: 'small', count: settings.burstCount });
        progress(`burst ${round + 1}/${settings.burstRounds} ${contender.label}: delivered ${String(result.delivered)} of ${settings.burstCount}`);
        record(results.lossless, result);
      }
    }

    const memoryContenders: [Contender, MixName][] = !settings.sections.has('memory') ? [] : [
      ...runnable
        .filter((contender) => ['ceiling-output', 'cscws-jsonl', 'cscws-text', 'cscws-where', 'cscws-fields', 'cscws-table'].includes(contender.id))
        .map((contender): [Contender, MixName] => [contender, 'small']),
      ...runnable.filter((contender) => contender.id === 'cscws-jsonl').map((contender): [Contender, MixName] => [contender, 'realistic']),
    ];
    for (const [contender, mix] of memoryContenders) {
      const result = await runContender(server, contender, {
        mix,
        count: settings.memoryCount,
        milestones: [settings.memoryBaseline, settings.memoryCount],
      });
      progress(`memory ${mix} ${contender.label}: ${JSON.stringify(result.rssAtMilestoneMB)} ${result.ok ? '' : (result.error ?? '')}`);
      record((results.memory[mix] ??= {}), result);
    }
  } finally {
    await server.stop();
  }

  results.machineAfter = describeMachine();
  results.seconds = (Date.now() - started) / 1000;
  if (settings.jsonFile !== undefined) {
    writeFileSync(settings.jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  }
  process.stdout.write(renderReport(results));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
