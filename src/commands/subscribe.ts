import { setProcessAccess } from '../connection/client-access.js';
import { setVerbose } from '../output/diagnostics.js';
import { createSink } from '../output/sink-factory.js';
import type { ExitReason } from '../exit-codes.js';
import { loadClientConfig } from './config-file.js';
import { OptionSources } from './option-sources.js';
import { subscribeOptions, type SubscribeArguments } from './subscribe-command.js';
import { planSubscription } from './subscribe-plan.js';
import { SubscribeRun } from './subscribe-run.js';

export async function runSubscribe(args: SubscribeArguments): Promise<ExitReason> {
  setVerbose(args.verbose);
  const sources = new OptionSources(subscribeOptions, process.argv.slice(2), process.env, loadClientConfig(subscribeOptions).values);
  const plan = planSubscription(args, process.stdout.isTTY === true, sources);
  setProcessAccess(plan.access);
  const run = new SubscribeRun(plan, createSink(plan.output));
  return run.execute();
}
