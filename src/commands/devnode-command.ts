import type { Argv, InferredOptionTypes, Options } from 'yargs';

import { CHANNEL_NAMES } from '../protocol/channels.js';
import { declareOptions, type CscwsCommand } from './command.js';
import { devnodeAccessOptions } from './devnode-access-options.js';

// Defaults are written out here, not imported from devnode/, so that `--help` loads no devnode
// module; devnode/options.ts contains the same values for in-process callers.
export const devnodeOptions = {
  host: {
    type: 'string',
    default: '127.0.0.1',
    describe: 'Interface to listen on; 127.0.0.1 or ::1 keeps the devnode private to this machine',
  },
  port: {
    type: 'number',
    default: 16181,
    describe: 'TCP port to listen on; 0 picks a free port',
  },
  'block-interval': {
    type: 'number',
    default: 10,
    describe: 'Seconds between replayed blocks (fractions allowed); each block’s transactions arrive spread over the interval before it; 0 replays as fast as possible',
  },
  'at-end': {
    type: 'string',
    choices: ['restart', 'stop', 'exit'],
    default: 'restart',
    describe: 'After the last block: restart from the first block one interval later (heights go back, which clients see as a reorg), stop (keep serving, send nothing more) or exit (close clients with 1001, exit 0)',
  },
  fixture: {
    type: 'string',
    describe: 'Gzipped replay fixture to serve instead of the shipped one (format in docs/fixture.md)',
  },
  'max-addresses': {
    type: 'number',
    default: 10_000,
    describe: 'Maximum number of addresses one connection may watch on address-transactions',
  },
  'max-send-buffer': {
    type: 'number',
    default: 64,
    describe: 'MiB of unsent notifications after which a client that reads too slowly is closed with 1008',
  },
  token: {
    type: 'string',
    array: true,
    describe: 'Token that `auth` accepts; repeatable (env CSCWS_DEVNODE_TOKEN). Without any, every auth succeeds',
  },
  private: {
    type: 'string',
    array: true,
    describe: `Channel that needs auth before a subscribe; repeatable; one of ${CHANNEL_NAMES.join(', ')}. Default with a token: address-transactions`,
  },
  quiet: {
    alias: 'q',
    type: 'boolean',
    default: false,
    describe: 'Do not log connections, requests and answered errors on stderr',
  },
  ...devnodeAccessOptions,
} as const satisfies Record<string, Options>;

export type DevnodeArguments = InferredOptionTypes<typeof devnodeOptions>;

export const devnodeCommand: CscwsCommand = {
  command: 'devnode',
  describe: 'Serve the node’s WebSocket API on this machine, replaying real Bitcoin mainnet blocks and transactions',
  builder: (parser: Argv) =>
    declareOptions(parser, devnodeOptions)
      // Its own prefix, so that a client's CSCWS_TOKEN or CSCWS_URL never configures the devnode.
      .env('CSCWS_DEVNODE')
      .example('$0 devnode', 'serve ws://127.0.0.1:16181, one block every 10 s, from the first subscribe on')
      .example('$0 devnode --port 0 --block-interval 1 --at-end exit', 'a free port, one block a second, exit after the last block')
      .example('$0 devnode --token s3cret', 'address-transactions needs {"action":"auth","token":"s3cret"} first')
      .epilogue(
        'The URL is printed on stdout as the only line; the replayed blocks, the busiest addresses and the log go to stderr. ' +
          'SIGINT or SIGTERM closes every client with 1001 and exits 0. See docs/devnode.md.',
      ),
  run: async (argv) => {
    const { runDevnode } = await import('./devnode.js');
    return runDevnode(argv as unknown as DevnodeArguments);
  },
};
