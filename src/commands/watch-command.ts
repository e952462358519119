import type { Argv, InferredOptionTypes, Options } from 'yargs';

import { formatExitCodeTable } from '../exit-codes.js';
import { addressSourceOptions } from './address-sources.js';
import { declareOptions, type CscwsCommand } from './command.js';
import { loadClientConfig } from './config-file.js';
import { displayOptions } from './display-options.js';
import { resilienceOptions } from './resilience-options.js';

// watch writes its own change lines, whose `type` field would clash with the event lines of
// --events, so it reports gaps and reorgs on stderr only.
const { events: _events, ...watchResilienceOptions } = resilienceOptions;
import { connectionOptions } from './subscribe-command.js';

export const watchOptions = {
  ...connectionOptions,
  ...addressSourceOptions,
  ...displayOptions,
  ...watchResilienceOptions,
  'until-confirmed': {
    type: 'number',
    describe: 'Exit 0 as soon as a received transaction has this many confirmations (0: as soon as it is seen)',
  },
  'min-amount': {
    type: 'string',
    describe: 'With --until-confirmed, count only received transactions of at least this many coins (up to 8 decimals)',
  },
  timeout: {
    alias: 't',
    type: 'number',
    describe: 'Stop after this many seconds from start: exit 7 when --until-confirmed is given and not met, else 0',
  },
  mempool: {
    type: 'boolean',
    default: false,
    describe: 'Also subscribe to the mempool channel, to mark transactions that leave the mempool without being mined',
  },
  output: {
    alias: 'o',
    type: 'string',
    choices: ['view', 'jsonl'],
    describe: 'view: a live table; jsonl: one JSON line per change (default: view on a terminal, jsonl otherwise)',
  },
} as const satisfies Record<string, Options>;

export type WatchArguments = InferredOptionTypes<typeof watchOptions> & { address: string[] };

export const watchCommand: CscwsCommand = {
  command: 'watch [address..]',
  describe: 'Watch addresses: payments in and out, their confirmations and the net change, live',
  builder: (parser: Argv) =>
    declareOptions(parser, watchOptions)
      .positional('address', {
        type: 'string',
        array: true,
        describe: 'Addresses to watch; comma lists allowed; - reads them from standard input',
      })
      .config(loadClientConfig(watchOptions).values)
      .example('$0 watch csc1q...', 'a live view of the payments to and from an address')
      .example('$0 watch csc1q... --until-confirmed 3 --min-amount 0.5 --timeout 3600', 'wait up to an hour for a payment of at least 0.5 with 3 confirmations')
      .example('$0 watch --addresses-file wallet.txt | jq -c .', 'one JSON line per change')
      .epilogue(`Exit codes:\n${formatExitCodeTable()}`),
  run: async (argv) => {
    const { runWatch } = await import('./watch.js');
    return runWatch(argv as unknown as WatchArguments);
  },
};
