import type { Argv, InferredOptionTypes, Options } from 'yargs';

import { CHANNEL_NAMES } from '../protocol/channels.js';
import { withoutClientAccessOptions } from './access-options.js';
import { declareOptions, type CscwsCommand } from './command.js';
import { subscribeOptions } from './subscribe-command.js';

const { url: _url, token: _token, ...withoutUrlAndToken } = subscribeOptions;
const demoSubscribeOptions = withoutClientAccessOptions(withoutUrlAndToken);

export const demoOptions = {
  ...demoSubscribeOptions,
  'block-interval': {
    type: 'number',
    default: 10,
    describe: 'Seconds between replayed blocks; the block’s transactions arrive spread over the interval before it',
  },
} as const satisfies Record<string, Options>;

export type DemoArguments = InferredOptionTypes<typeof demoOptions> & { channel: string[] };

export const demoCommand: CscwsCommand = {
  command: 'demo [channel..]',
  describe: 'Start the embedded devnode on a free loopback port and subscribe to it: real mainnet activity, no node needed',
  builder: (parser: Argv) =>
    declareOptions(parser, demoOptions)
      .positional('channel', {
        type: 'string',
        array: true,
        default: ['new-blocks', 'new-transactions'],
        describe: `Channels: ${CHANNEL_NAMES.join(', ')}; address-transactions without --address watches the busiest replayed addresses`,
      })
      .example('$0 demo', 'blocks and transactions in a live table')
      .example('$0 demo mining-info address-transactions', 'mining updates and payments of the busiest addresses')
      .example('$0 demo new-blocks -o jsonl --count 3 | jq .data.height', 'three block heights through jq'),
  run: async (argv) => {
    const { runDemo } = await import('./demo.js');
    return runDemo(argv as unknown as DemoArguments);
  },
};
