import { setProcessAccess } from '../connection/client-access.js';
import { CscwsError, describeNumber, usageError } from '../errors.js';
import type { ExitReason } from '../exit-codes.js';
import { setColorMode, type ColorMode } from '../output/color-policy.js';
import { setVerbose } from '../output/diagnostics.js';
import { LineWriter } from '../output/line-writer.js';
import type { NotificationSink } from '../output/notification-sink.js';
import { coinsToUnits, unitsToCoins } from '../protocol/amounts.js';
import type { ChannelName } from '../protocol/channels.js';
import { WatchLineSink } from '../watch/watch-lines.js';
import { WatchStage, type WatchGoal } from '../watch/watch-stage.js';
import { WatchTracker } from '../watch/watch-tracker.js';
import { WatchView } from '../watch/watch-view.js';
import { readAddressSources, stdinMarkerGiven } from './address-sources.js';
import { loadClientConfig } from './config-file.js';
import { OptionSources } from './option-sources.js';
import { planSubscription } from './subscribe-plan.js';
import { SubscribeRun } from './subscribe-run.js';
import { watchOptions, type WatchArguments } from './watch-command.js';

/** Runs `cscws watch`: address-transactions and new-blocks (and mempool) on one connection, tracked per address. */
export async function runWatch(args: WatchArguments): Promise<ExitReason> {
  setVerbose(args.verbose);
  setColorMode(args.color as ColorMode);

  const listed = await readAddressSources({ ...args, address: args.address }, stdinMarkerGiven());
  if (listed.length === 0) {
    throw usageError('watch needs at least one address', 'Give addresses as arguments, with --addresses-file PATH, or - to read them from standard input.');
  }
  const channels: ChannelName[] = ['address-transactions', 'new-blocks', ...(args.mempool ? (['mempool'] as const) : [])];
  // The subscribe plan checks the URL, token, limits and addresses; the selection options of
  // subscribe do not apply to watch.
  const subscribeArgs = { ...args, channel: channels, address: [], output: undefined, count: undefined, timeout: undefined };
  const sources = new OptionSources(watchOptions, process.argv.slice(2), process.env, loadClientConfig(watchOptions).values);
  const plan = planSubscription(
    { ...subscribeArgs, where: undefined, until: undefined, fields: undefined, format: undefined, envelope: false, events: false },
    false,
    listed,
    sources,
  );
  setProcessAccess(plan.access);
  const goal = planGoal(args);
  const timeoutMs = args.timeout === undefined ? undefined : positiveSeconds(args.timeout) * 1000;

  const tracker = new WatchTracker(plan.addresses);
  const stage = new WatchStage(tracker, goal);
  const useView = args.output === 'view' || (args.output === undefined && process.stdout.isTTY === true);
  const sink: NotificationSink = useView
    ? new WatchView(process.stdout, tracker, stage, goal === undefined ? undefined : describeGoal(goal, 'waiting'))
    : new WatchLineSink(new LineWriter(process.stdout), stage);

  const run = new SubscribeRun(plan, sink, [stage]);
  const deadline =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          run.stop(
            goal === undefined
              ? undefined
              : new CscwsError('timedOut', `--timeout of ${timeoutMs / 1000} s elapsed before ${describeGoal(goal)}`),
          );
        }, timeoutMs);
  try {
    return await run.execute();
  } finally {
    clearTimeout(deadline);
  }
}

function planGoal(args: WatchArguments): WatchGoal | undefined {
  const confirmations = args['until-confirmed'];
  const minAmount = args['min-amount'];
  if (confirmations === undefined) {
    if (minAmount !== undefined) {
      throw usageError('--min-amount only applies to --until-confirmed', 'Add --until-confirmed N, or drop --min-amount.');
    }
    return undefined;
  }
  if (!Number.isSafeInteger(confirmations) || confirmations < 0) {
    throw usageError(`--until-confirmed must be a whole number of 0 or more, got ${String(confirmations)}`);
  }
  return { confirmations, minUnits: minAmount === undefined ? 0n : parseMinAmount(minAmount) };
}

function parseMinAmount(text: string): bigint {
  let units: bigint;
  try {
    units = coinsToUnits(text.trim());
  } catch {
    throw usageError(`--min-amount "${text}" is not an amount in coins with at most 8 decimals`, 'Write it like 0.5 or 0.00010000.');
  }
  if (units < 0n) {
    throw usageError(`--min-amount must not be negative, got ${text}`);
  }
  return units;
}

function positiveSeconds(value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw usageError(`--timeout must be a number of seconds above 0, got ${describeNumber(value)}`);
  }
  return value;
}

/** Describes the goal as done ("a received transaction reached 3 confirmations") or awaited ("waiting for …"). */
function describeGoal(goal: WatchGoal, tense: 'reached' | 'waiting' = 'reached'): string {
  const amount = goal.minUnits > 0n ? ` of at least ${unitsToCoins(goal.minUnits)}` : '';
  const confirmations = `${goal.confirmations} confirmation${goal.confirmations === 1 ? '' : 's'}`;
  return tense === 'reached'
    ? `a received transaction${amount} reached ${confirmations}`
    : `waiting for a received transaction${amount} to reach ${confirmations}`;
}
