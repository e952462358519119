import { setColorMode, type ColorMode } from '../output/color-policy.js';
import { setProcessAccess } from '../connection/client-access.js';
import { startDevnode } from '../devnode/server.js';
import type { ExitReason } from '../exit-codes.js';
import { setVerbose, writeDiagnostic } from '../output/diagnostics.js';
import { createSink } from '../output/sink-factory.js';
import { NO_ACCESS_ARGUMENTS } from './access-options.js';
import type { DemoArguments } from './demo-command.js';
import { readAddressSources } from './address-sources.js';
import { OptionSources } from './option-sources.js';
import { selectionOptions } from './selection-options.js';
import { planSelection } from './selection-plan.js';
import { subscribeOptions } from './subscribe-command.js';
import { parseChannels, planSubscription } from './subscribe-plan.js';
import { SubscribeRun } from './subscribe-run.js';

/** Addresses watched when the demo subscribes to address-transactions without --address. */
const DEMO_ADDRESS_COUNT = 3;

export async function runDemo(args: DemoArguments): Promise<ExitReason> {
  setVerbose(args.verbose);
  setColorMode(args.color as ColorMode);

  // Check the channels before the devnode starts, so that a typo costs nothing.
  parseChannels(args.channel);

  const devnode = await startDevnode({
    host: '127.0.0.1',
    port: 0,
    blockIntervalSeconds: args['block-interval'],
    atEnd: 'restart',
    maxWatchedAddresses: 10_000,
    tokens: [],
    privateChannels: [],
    log: () => {},
  });

  try {
    let addresses = args.address ?? [];
    if (args.channel.includes('address-transactions') && addresses.length === 0) {
      addresses = devnode.busiestAddresses(DEMO_ADDRESS_COUNT).map((entry) => entry.address);
      writeDiagnostic(`demo: watching the busiest replayed addresses: ${addresses.join(', ')}`);
    }
    writeDiagnostic(`demo: devnode replaying real mainnet blocks at ${devnode.url}; Ctrl-C stops`);

    // The embedded devnode is on loopback: no proxy, no TLS, no config file applies to it.
    const demoArgs = { ...args, ...NO_ACCESS_ARGUMENTS, address: addresses, url: devnode.url, token: undefined };
    const plan = planSubscription(
      demoArgs,
      process.stdout.isTTY === true,
      await readAddressSources(demoArgs),
      new OptionSources(subscribeOptions, [], {}, {}),
    );
    setProcessAccess({ ...plan.access, proxy: { kind: 'direct' } });
    const selection = planSelection(args, plan.channels);
    const sink = await createSink(plan.output, plan.channels, selection.lineFormat);
    return await new SubscribeRun(plan, sink, selection.stages).execute();
  } finally {
    await devnode.close();
  }
}
