import type { Argv, InferredOptionTypes, Options } from 'yargs';

import { formatExitCodeTable } from '../exit-codes.js';
import { CHANNEL_NAMES, CHANNELS } from '../protocol/channels.js';
import { clientAccessOptions } from './access-options.js';
import { addressSourceOptions } from './address-sources.js';
import { declareOptions, type CscwsCommand } from './command.js';
import { loadClientConfig } from './config-file.js';
import { displayOptions } from './display-options.js';
import { OUTPUT_FORMATS } from './output-choice.js';
import { resilienceOptions } from './resilience-options.js';
import { selectionOptions } from './selection-options.js';

/** Default node URL: the documented default port on this machine. */
export const DEFAULT_URL = 'ws://localhost:16181';

export const connectionOptions = {
  url: {
    alias: 'u',
    type: 'string',
    default: DEFAULT_URL,
    describe: 'Node WebSocket URL, ws:// or wss:// (env CSCWS_URL)',
  },
  token: {
    type: 'string',
    describe: 'Auth token, sent first on every connection (env CSCWS_TOKEN); visible in the process list, so prefer --token-file or the environment',
  },
  'connect-timeout': {
    type: 'number',
    default: 10,
    describe: 'Seconds allowed for the connection handshake and for each response of the server',
  },
  'max-message-size': {
    type: 'number',
    default: 16 * 1024 * 1024,
    describe: 'Largest frame accepted from the server, in bytes',
  },
  verbose: {
    alias: 'v',
    type: 'boolean',
    default: false,
    describe: 'Log connection events, subscriptions and reconnect decisions on stderr (never the token)',
  },
  ...clientAccessOptions,
} as const satisfies Record<string, Options>;

export const subscribeOptions = {
  ...connectionOptions,
  address: {
    alias: 'a',
    type: 'string',
    array: true,
    describe: 'Address to watch on address-transactions; repeatable, and each value may be a comma-separated list; - reads standard input',
  },
  ...addressSourceOptions,
  output: {
    alias: 'o',
    type: 'string',
    choices: OUTPUT_FORMATS,
    describe:
      'table: a live view with a panel per channel, on a terminal only; jsonl: the notification as received, one JSON object a line; text: one readable line a notification (default: table on a terminal, jsonl otherwise)',
  },
  ...displayOptions,
  count: {
    alias: 'n',
    type: 'number',
    describe: 'Stop after this many notifications, exit 0',
  },
  timeout: {
    alias: 't',
    type: 'number',
    describe: 'Stop after this many seconds from start: exit 0, or 7 when --count is given and not reached',
  },
  ...selectionOptions,
  ...resilienceOptions,
} as const satisfies Record<string, Options>;

export type SubscribeArguments = InferredOptionTypes<typeof subscribeOptions> & { channel: string[] };

export const subscribeCommand: CscwsCommand = {
  command: 'subscribe <channel..>',
  aliases: ['sub'],
  describe: 'Subscribe to channels and print each notification as it arrives',
  builder: (parser: Argv) =>
    declareOptions(parser, subscribeOptions)
      .positional('channel', {
        type: 'string',
        array: true,
        demandOption: true,
        // yargs gives an array positional a default of [] and shows it; a required one has none.
        default: undefined,
        describe: `Channels: ${CHANNEL_NAMES.join(', ')}`,
      })
      .config(loadClientConfig(subscribeOptions).values)
      .example('$0 subscribe new-blocks', 'print each new block')
      .example('$0 subscribe new-transactions | jq .data.fee', 'fees of transactions entering the mempool')
      .example('$0 subscribe address-transactions -a csc1q...', 'payments to or from an address')
      .example('$0 subscribe new-blocks --count 1 --timeout 300', 'wait up to 5 minutes for the next block')
      .epilogue(
        `Channels:\n${CHANNEL_NAMES.map((name) => `  ${name.padEnd(22)}${CHANNELS[name].summary}`).join('\n')}\n\n` +
          `Exit codes:\n${formatExitCodeTable()}`,
      ),
  run: async (argv) => {
    const { runSubscribe } = await import('./subscribe.js');
    return runSubscribe(argv as unknown as SubscribeArguments);
  },
};
