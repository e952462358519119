import { startDevnode, type RunningDevnode } from '../devnode/server.js';
import { MEBIBYTE, type AtEnd, type DevnodeOptions } from '../devnode/options.js';
import { usageError } from '../errors.js';
import type { ExitReason } from '../exit-codes.js';
import { sanitizeForTerminal } from '../output/sanitize.js';
import { CHANNEL_NAMES, isChannelName, type ChannelName } from '../protocol/channels.js';
import { describeDevnodeAccess, readDevnodeAccess } from './devnode-access.js';
import type { DevnodeArguments } from './devnode-command.js';

/** Addresses listed at start-up for trying address-transactions. */
const LISTED_ADDRESS_COUNT = 5;

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Runs `cscws devnode`: starts the server, prints its URL as the only stdout line, describes the
 * replay on stderr and serves until a signal arrives or, with --at-end exit, the replay ends.
 */
export async function runDevnode(args: DevnodeArguments): Promise<ExitReason> {
  const options = toDevnodeOptions(args);
  const devnode = await startDevnode(options);

  process.stdout.write(`${devnode.url}\n`);
  describeReplay(devnode, options);

  const signals = listenForStopSignals();
  try {
    const waits: Promise<string>[] = [
      signals.received.then((signal) => `received ${signal}; closing every client with 1001`),
    ];
    if (options.atEnd === 'exit') {
      // replayEnded resolves only after the server has closed every client.
      waits.push(devnode.replayEnded.then(() => 'the replay ended (--at-end exit); every client was closed with 1001'));
    }
    logLine(await Promise.race(waits));

    await devnode.close();
    logLine('stopped');
    return 'ok';
  } finally {
    signals.dispose();
  }
}

function toDevnodeOptions(args: DevnodeArguments): DevnodeOptions {
  const tokens = args.token ?? [];

  const maxSendBuffer = args['max-send-buffer'];
  if (!Number.isFinite(maxSendBuffer) || maxSendBuffer <= 0) {
    throw usageError(`--max-send-buffer ${String(maxSendBuffer)} is not a positive number of MiB`, 'pass a size in MiB such as 64, the default');
  }

  const options: DevnodeOptions = {
    host: args.host,
    blockIntervalSeconds: args['block-interval'],
    atEnd: args['at-end'] as AtEnd,
    maxWatchedAddresses: args['max-addresses'],
    maxBufferedBytes: maxSendBuffer * MEBIBYTE,
    tokens,
    privateChannels: parsePrivateChannels(args.private, tokens),
    quiet: args.quiet,
    log: logLine,
    ...readDevnodeAccess(args),
  };
  if (args.fixture !== undefined) {
    options.fixturePath = args.fixture;
  }
  return options;
}

/** Reads --private; with tokens and no --private, address-transactions is private. */
function parsePrivateChannels(names: string[] | undefined, tokens: readonly string[]): ChannelName[] {
  if (names === undefined || names.length === 0) {
    return tokens.length > 0 ? ['address-transactions'] : [];
  }

  const channels: ChannelName[] = [];
  for (const name of names) {
    if (!isChannelName(name)) {
      throw usageError(`--private ${JSON.stringify(name)} is not a channel`, `use one of: ${CHANNEL_NAMES.join(', ')}`);
    }
    channels.push(name);
  }
  return channels;
}

/** Writes what is replayed, how fast, what happens at the end and which addresses to watch. */
function describeReplay(devnode: RunningDevnode, options: DevnodeOptions): void {
  const { summary } = devnode;

  logLine(
    `replaying blocks ${summary.firstHeight} to ${summary.lastHeight} (${summary.blocks} blocks, ` +
      `${summary.transactions} transactions whose inputs are all in the fixture): ${sanitizeForTerminal(summary.source)}`,
  );

  const pace =
    options.blockIntervalSeconds === 0
      ? 'blocks as fast as possible (--block-interval 0)'
      : `one block every ${options.blockIntervalSeconds} s, its transactions spread evenly over the interval before it`;
  logLine(`${pace}; the replay starts with the first subscribe request`);

  logLine(`after block ${summary.lastHeight}: ${describeAtEnd(options.atEnd, summary.firstHeight)}`);

  const command = usesClientDefaultUrl(devnode)
    ? 'cscws subscribe address-transactions -a ADDRESS'
    : `cscws subscribe address-transactions -u ${devnode.url} -a ADDRESS`;
  logLine(`busiest addresses, to try with \`${command}\`:`);
  for (const { address, transactions } of devnode.busiestAddresses(LISTED_ADDRESS_COUNT)) {
    logLine(`  ${sanitizeForTerminal(address)} (${transactions} transactions)`);
  }

  if (options.tokens.length === 0) {
    logLine('auth: no token configured, so every auth request succeeds and no channel is private');
  } else {
    const count = options.tokens.length;
    logLine(`auth: ${count} token${count === 1 ? '' : 's'} configured; private channels: ${options.privateChannels.join(', ')}`);
  }
  logLine(describeDevnodeAccess(options));
}

function describeAtEnd(atEnd: AtEnd, firstHeight: number): string {
  switch (atEnd) {
    case 'restart':
      return `restart from block ${firstHeight} one interval later (clients see the height go back, as in a reorg)`;
    case 'stop':
      return 'keep serving without sending more notifications';
    case 'exit':
      return 'close every client with 1001 and exit';
  }
}

/** Returns whether `cscws subscribe` without --url reaches this devnode (its default is ws://localhost:16181). */
function usesClientDefaultUrl(devnode: RunningDevnode): boolean {
  // localhost may resolve to 127.0.0.1 only, so a devnode on ::1 gets an explicit -u.
  return devnode.port === 16181 && ['127.0.0.1', 'localhost'].includes(devnode.host);
}

function listenForStopSignals(): { received: Promise<NodeJS.Signals>; dispose: () => void } {
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = resolve;
  });
  for (const signal of STOP_SIGNALS) {
    process.on(signal, onSignal);
  }
  return {
    received,
    dispose: () => {
      for (const signal of STOP_SIGNALS) {
        process.off(signal, onSignal);
      }
    },
  };
}

function logLine(line: string): void {
  process.stderr.write(`devnode: ${line}\n`);
}
