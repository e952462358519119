import { distance } from 'fastest-levenshtein';

/** The five notification channels of the node's WebSocket API, in the order its documentation lists them. */
export const CHANNEL_NAMES = [
  'new-blocks',
  'new-transactions',
  'address-transactions',
  'mempool',
  'mining-info',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export interface ChannelDescription {
  summary: string;
  /** Whether a subscribe request must carry `params.addresses`. */
  takesAddresses: boolean;
}

export const CHANNELS: Readonly<Record<ChannelName, ChannelDescription>> = {
  'new-blocks': { summary: 'one notification per block (about 720 a day)', takesAddresses: false },
  'new-transactions': { summary: 'every transaction entering the mempool', takesAddresses: false },
  'address-transactions': {
    summary: 'transactions touching the watched addresses, at 0 and 1 confirmations',
    takesAddresses: true,
  },
  mempool: { summary: 'transactions added to or removed from the mempool', takesAddresses: false },
  'mining-info': { summary: 'mining information, one update per block', takesAddresses: false },
};

export function isChannelName(name: string): name is ChannelName {
  return Object.hasOwn(CHANNELS, name);
}

/**
 * Returns the catalogued channel closest to `name` by edit distance, or undefined when none is
 * close enough to be a plausible typo (more than a third of the name differs).
 */
export function suggestChannel(name: string): ChannelName | undefined {
  let best: ChannelName | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;

  for (const candidate of CHANNEL_NAMES) {
    const d = distance(name.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }

  const allowed = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= allowed ? best : undefined;
}
