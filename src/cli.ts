import yargs, { type Argv } from 'yargs';

import { reportFailure } from './commands/failure-report.js';
import { commandModules } from './commands/index.js';
import { CscwsError } from './errors.js';
import { EXIT_CODES, formatExitCodeTable, type ExitReason } from './exit-codes.js';
import { flushStandardStreams } from './output/standard-streams.js';
import { VERSION } from './version.js';

/**
 * Parses `args`, runs the chosen command and exits with the code of its outcome. This is the one
 * place where an outcome or an error becomes an exit code.
 */
export async function run(args: string[]): Promise<never> {
  let reason: ExitReason;
  try {
    reason = await runCommand(args);
  } catch (error) {
    reason = reportFailure(error);
  }

  await flushStandardStreams();
  process.exit(EXIT_CODES[reason]);
}

async function runCommand(args: string[]): Promise<ExitReason> {
  let outcome: ExitReason = 'ok';
  hideDevnodeEnvironment(args[0]);

  const parser: Argv = yargs(args)
    .scriptName('cscws')
    .env('CSCWS')
    .version(VERSION)
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Name a command: subscribe, watch, devnode, demo or config. See `cscws --help`.')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .epilogue(`Exit codes:\n${formatExitCodeTable()}`)
    .fail((message, error) => {
      // yargs reports its own validation failures (a missing value, say) as a YError; any other
      // error came from a command and keeps its own reason.
      if (error !== undefined && error !== null && error.name !== 'YError') {
        throw error;
      }
      throw new CscwsError('usage', usageMessage(message ?? error?.message ?? 'invalid arguments'), {
        hint: 'Run `cscws --help` or `cscws COMMAND --help` for usage.',
      });
    });

  for (const module of commandModules) {
    parser.command({
      ...module,
      handler: async (argv) => {
        outcome = await module.run(argv);
      },
    });
  }

  await parser.parseAsync();
  return outcome;
}

/**
 * Removes CSCWS_DEVNODE_* variables for every command but devnode. yargs reads every CSCWS_*
 * variable as an option, so a devnode setting in the same shell would otherwise fail `subscribe`
 * as an unknown option.
 */
function hideDevnodeEnvironment(command: string | undefined): void {
  if (command === 'devnode') {
    return;
  }
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('CSCWS_DEVNODE_')) {
      delete process.env[name];
    }
  }
}

/** Rewords the yargs messages that read poorly on their own, and keeps the others. */
function usageMessage(message: string): string {
  if (message.startsWith('Not enough non-option arguments')) {
    return 'name at least one channel: new-blocks, new-transactions, address-transactions, mempool, mining-info';
  }
  const missingValue = /^Not enough arguments following: (.+)$/u.exec(message);
  if (missingValue !== null) {
    return `--${missingValue[1]} needs a value`;
  }
  const unknown = /^Unknown arguments?: (.+)$/u.exec(message);
  if (unknown?.[1] !== undefined) {
    const names = unknown[1].split(', ').map((name) => (name.length === 1 ? `-${name}` : `--${name}`));
    return `unknown option${names.length === 1 ? '' : 's'} ${names.join(', ')}`;
  }
  return message;
}
