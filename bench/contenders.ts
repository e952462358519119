// The programs the harness compares. Each runs as `node --import usage-reporter.js SCRIPT ARGS`,
// so that every one reports its CPU time and peak RSS the same way.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CSCWS_BIN = fileURLToPath(new URL('../../bin/cscws.js', import.meta.url));
export const CEILING_CLIENT = fileURLToPath(new URL('./ceiling-client.js', import.meta.url));
export const WSCAT_BIN = fileURLToPath(new URL('../../node_modules/wscat/bin/wscat', import.meta.url));

/** Destination of a contender's stdout: /dev/null, a file, a pipe into `wc -l`, or a pseudo-terminal. */
export type Sink = 'null' | 'file' | 'wc' | 'pty';

export interface Contender {
  id: string;
  label: string;
  sink: Sink;
  /** Arguments after `node --import usage-reporter.js`: the script and its options. */
  args(url: string, channel: string): string[];
  /** Lines written that are not notifications, such as wscat's line for the subscribe response. */
  extraLines: number;
  /** Reason this contender cannot run in this build; undefined when it can. */
  unavailable?: string;
}

/** Features of the built cscws, found by running it, so that options of later builds are measured once they exist. */
export interface CscwsFeatures {
  where: boolean;
  fields: boolean;
  table: boolean;
  addressCheck: boolean;
}

export function probeCscwsFeatures(cscwsBin: string): CscwsFeatures {
  const help = spawnSync(process.execPath, [cscwsBin, 'subscribe', '--help'], { encoding: 'utf8' }).stdout;
  // The API documentation's example address fails the bech32 checksum. A build that checks
  // addresses rejects it as a usage error (2) before connecting, and port 9 on loopback refuses
  // the connection (3) in a build that does not.
  const check = spawnSync(
    process.execPath,
    [cscwsBin, 'subscribe', 'address-transactions', '-a', 'csc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh', '--url', 'ws://127.0.0.1:9', '--connect-timeout', '2'],
    { encoding: 'utf8', timeout: 15_000 },
  );
  return {
    where: help.includes('--where'),
    fields: help.includes('--fields'),
    table: /"table"/.test(help),
    addressCheck: check.status === 2,
  };
}

export interface FilterSettings {
  /** `--where` expression that every notification of the small and realistic mixes passes. */
  where: string;
  /** `--fields` list. */
  fields: string;
}

const NOT_IN_BUILD = 'not available in this build';

export function buildContenders(features: CscwsFeatures, filters: FilterSettings, cscwsBin: string): Contender[] {
  // --no-reconnect: the load server closes with 1000 after the last notification, and that is the end.
  const cscws = (extra: string[]) => (url: string, channel: string) => [cscwsBin, 'subscribe', channel, '--url', url, '--no-reconnect', ...extra];
  const ceiling = (mode: string) => (url: string, channel: string) => [CEILING_CLIENT, url, channel, mode];

  return [
    { id: 'ceiling', label: 'ceiling (count only)', sink: 'null', args: ceiling('count'), extraLines: 0 },
    { id: 'ceiling-output', label: 'ceiling + output > /dev/null', sink: 'null', args: ceiling('output'), extraLines: 0 },
    { id: 'ceiling-output-wc', label: 'ceiling + output | wc -l', sink: 'wc', args: ceiling('output'), extraLines: 0 },
    { id: 'cscws-jsonl', label: 'cscws jsonl > /dev/null', sink: 'null', args: cscws(['--output', 'jsonl']), extraLines: 0 },
    { id: 'cscws-jsonl-wc', label: 'cscws jsonl | wc -l', sink: 'wc', args: cscws(['--output', 'jsonl']), extraLines: 0 },
    { id: 'cscws-jsonl-file', label: 'cscws jsonl > file', sink: 'file', args: cscws(['--output', 'jsonl']), extraLines: 0 },
    { id: 'cscws-text', label: 'cscws text > /dev/null', sink: 'null', args: cscws(['--output', 'text']), extraLines: 0 },
    {
      id: 'cscws-where',
      label: `cscws jsonl --where '${filters.where}' > /dev/null`,
      sink: 'null',
      args: cscws(['--output', 'jsonl', '--where', filters.where]),
      extraLines: 0,
      unavailable: features.where ? undefined : NOT_IN_BUILD,
    },
    {
      id: 'cscws-fields',
      label: `cscws jsonl --fields ${filters.fields} > /dev/null`,
      sink: 'null',
      args: cscws(['--output', 'jsonl', '--fields', filters.fields]),
      extraLines: 0,
      unavailable: features.fields ? undefined : NOT_IN_BUILD,
    },
    {
      id: 'cscws-table',
      label: 'cscws table on a pty',
      sink: 'pty',
      args: cscws(['--output', 'table']),
      extraLines: 0,
      unavailable: features.table ? undefined : NOT_IN_BUILD,
    },
    {
      id: 'wscat-file',
      label: 'wscat > file',
      sink: 'file',
      args: (url, channel) => [WSCAT_BIN, '--connect', url, '--execute', JSON.stringify({ action: 'subscribe', channel }), '--wait', '-1'],
      // wscat prints the subscribe response like any other message.
      extraLines: 1,
    },
    {
      id: 'wscat-wc',
      label: 'wscat | wc -l',
      sink: 'wc',
      args: (url, channel) => [WSCAT_BIN, '--connect', url, '--execute', JSON.stringify({ action: 'subscribe', channel }), '--wait', '-1'],
      extraLines: 1,
    },
  ];
}

/** cscws jsonl watching `addresses` on address-transactions, with the addresses in `-a` lists of 1,000 so that no argument exceeds Linux's 128 KiB limit. */
export function addressContender(addresses: readonly string[], cscwsBin: string): Contender {
  const lists: string[] = [];
  for (let start = 0; start < addresses.length; start += 1_000) {
    lists.push('-a', addresses.slice(start, start + 1_000).join(','));
  }
  return {
    id: `cscws-addresses-${addresses.length}`,
    label: `cscws jsonl, ${addresses.length.toLocaleString('en-US')} watched address${addresses.length === 1 ? '' : 'es'}`,
    sink: 'null',
    args: (url, channel) => [cscwsBin, 'subscribe', channel, '--url', url, '--no-reconnect', '--output', 'jsonl', ...lists],
    extraLines: 0,
  };
}
