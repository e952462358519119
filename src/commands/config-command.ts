import type { Argv } from 'yargs';

import { declareOptions, type CscwsCommand } from './command.js';
import { configFilePath, loadClientConfig } from './config-file.js';
import { subscribeOptions } from './subscribe-command.js';

export const configCommand: CscwsCommand = {
  command: 'config',
  describe: 'Show the effective value of every subscribe option and where it came from: flag, CSCWS_* variable, config file or default; secrets masked',
  builder: (parser: Argv) =>
    declareOptions(parser, subscribeOptions)
      .config(loadClientConfig(subscribeOptions).values)
      .example('$0 config', 'what `cscws subscribe` would use, and why')
      .example('$0 config --url wss://node.example:16181', 'the same with a flag, which wins over the environment and the file')
      .epilogue(`Precedence: flag > environment variable CSCWS_NAME > config file (${configFilePath()}) > default.`),
  run: async (argv) => {
    const { runConfig } = await import('./config.js');
    return runConfig(argv);
  },
};
