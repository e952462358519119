import { setColorMode, type ColorMode } from '../output/color-policy.js';
import { setVerbose } from '../output/diagnostics.js';
import { createSink } from '../output/sink-factory.js';
import type { ExitReason } from '../exit-codes.js';
import type { SubscribeArguments } from './subscribe-command.js';
import { readAddressSources, stdinMarkerGiven } from './address-sources.js';
import { planSelection } from './selection-plan.js';
import { planSubscription } from './subscribe-plan.js';
import { SubscribeRun } from './subscribe-run.js';

export async function runSubscribe(args: SubscribeArguments): Promise<ExitReason> {
  setVerbose(args.verbose);
  setColorMode(args.color as ColorMode);
  const listed = await readAddressSources(args, stdinMarkerGiven());
  const plan = planSubscription(args, process.stdout.isTTY === true, listed);
  const selection = planSelection(args, plan.channels);
  const sink = await createSink(plan.output, plan.channels, selection.lineFormat);
  const run = new SubscribeRun(plan, sink, selection.stages);
  return run.execute();
}
