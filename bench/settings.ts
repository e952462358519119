import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { CSCWS_BIN } from './contenders.js';

/** Settings of one `npm run bench`: what it measures and how much. Counts are notifications. */
export interface BenchSettings {
  quick: boolean;
  rounds: number;
  smallCount: number;
  realisticCount: number;
  addressCount: number;
  burstCount: number;
  burstRounds: number;
  memoryCount: number;
  memoryBaseline: number;
  startupRuns: number;
  where: string;
  fields: string;
  jsonFile: string | undefined;
  /** The cscws executable (bin/cscws.js) to measure; another build's, for before/after comparisons. */
  cscwsBin: string;
  /** Sections to run; all of them unless --only names some. */
  sections: Set<Section>;
  /** Contender ids to run; all available ones unless --contenders names some. */
  contenderIds: Set<string> | undefined;
}

export const SECTIONS = ['startup', 'throughput', 'addresses', 'lossless', 'memory'] as const;
export type Section = (typeof SECTIONS)[number];

const USAGE = `Usage: npm run bench -- [options]

  --quick          one round of shorter runs; finishes in well under a minute
  --rounds N       rounds of the throughput runs (default 5, quick 1)
  --scale X        multiply every notification count by X (for smoke tests)
  --where EXPR     --where expression for the filter contender (default: data.fee >= 0)
  --fields LIST    --fields list for the fields contender (default: data.txid,data.fee)
  --json FILE      also write every run's raw figures to FILE
  --cscws PATH     measure another build's bin/cscws.js (default: this repository's)
  --only LIST      run only these sections: ${SECTIONS.join(', ')} (comma-separated)
  --contenders IDS run only these contenders, by id (comma-separated; ids are in --json output)
  --help           show this text`;

/** Parses the harness's arguments; throws an Error naming the bad value. */
export function parseSettings(args: string[]): BenchSettings | undefined {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      scale: { type: 'string', default: '1' },
      where: { type: 'string', default: 'data.fee >= 0' },
      fields: { type: 'string', default: 'data.txid,data.fee' },
      json: { type: 'string' },
      only: { type: 'string' },
      cscws: { type: 'string' },
      contenders: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return undefined;
  }

  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 10)) {
    throw new Error(`--scale must be a number above 0 and at most 10, got "${values.scale}"`);
  }
  const defaultRounds = values.quick ? 1 : 5;
  const rounds = values.rounds === undefined ? defaultRounds : Number(values.rounds);
  if (!Number.isSafeInteger(rounds) || rounds < 1) {
    throw new Error(`--rounds must be a whole number above 0, got "${String(values.rounds)}"`);
  }
  const sections = new Set<Section>();
  for (const name of (values.only ?? SECTIONS.join(',')).split(',')) {
    if (!(SECTIONS as readonly string[]).includes(name)) {
      throw new Error(`--only: unknown section "${name}"; sections: ${SECTIONS.join(', ')}`);
    }
    sections.add(name as Section);
  }
  const scaled = (count: number): number => Math.max(100, Math.round(count * scale));
  const quick = values.quick;

  return {
    quick,
    rounds,
    smallCount: scaled(quick ? 200_000 : 1_000_000),
    realisticCount: scaled(quick ? 100_000 : 500_000),
    addressCount: scaled(quick ? 50_000 : 200_000),
    burstCount: scaled(50_000),
    burstRounds: quick ? 1 : 3,
    memoryCount: scaled(quick ? 200_000 : 1_000_000),
    memoryBaseline: scaled(10_000),
    startupRuns: quick ? 9 : 21,
    where: values.where,
    fields: values.fields,
    jsonFile: values.json,
    cscwsBin: values.cscws === undefined ? CSCWS_BIN : resolve(values.cscws),
    sections,
    contenderIds: values.contenders === undefined ? undefined : new Set(values.contenders.split(',')),
  };
}
