import { setColorMode, type ColorMode } from '../output/color-policy.js';
import { setVerbose } from '../output/diagnostics.js';
import { createSink } from '../output/sink-factory.js';
import type { ExitReason } from '../exit-codes.js';
import type { SubscribeArguments } from './subscribe-command.js';
import { planSubscription } from './subscribe-plan.js';
import { SubscribeRun } from './subscribe-run.js';

export async function runSubscribe(args: SubscribeArguments): Promise<ExitReason> {
  setVerbose(args.verbose);
  setColorMode(args.color as ColorMode);
  const plan = planSubscription(args, process.stdout.isTTY === true);
  const run = new SubscribeRun(plan, await createSink(plan.output, plan.channels));
  return run.execute();
}
