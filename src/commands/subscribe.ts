import { setProcessAccess } from '../connection/client-access.js';
import { setColorMode, type ColorMode } from '../output/color-policy.js';
import { setVerbose } from '../output/diagnostics.js';
import { createSink } from '../output/sink-factory.js';
import type { ExitReason } from '../exit-codes.js';
import { readAddressSources, stdinMarkerGiven } from './address-sources.js';
import { loadClientConfig } from './config-file.js';
import { OptionSources } from './option-sources.js';
import { planSelection } from './selection-plan.js';
import { subscribeOptions, type SubscribeArguments } from './subscribe-command.js';
import { planSubscription } from './subscribe-plan.js';
import { SubscribeRun } from './subscribe-run.js';

export async function runSubscribe(args: SubscribeArguments): Promise<ExitReason> {
  setVerbose(args.verbose);
  setColorMode(args.color as ColorMode);
  const sources = new OptionSources(subscribeOptions, process.argv.slice(2), process.env, loadClientConfig(subscribeOptions).values);
  const listed = await readAddressSources(args, stdinMarkerGiven());
  const plan = planSubscription(args, process.stdout.isTTY === true, listed, sources);
  setProcessAccess(plan.access);
  const selection = planSelection(args, plan.channels);
  const sink = await createSink(plan.output, plan.channels, selection.lineFormat);
  const run = new SubscribeRun(plan, sink, selection.stages);
  return run.execute();
}
