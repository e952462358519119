import { usageError } from '../errors.js';
import { CHANNEL_NAMES, type ChannelName } from '../protocol/channels.js';
import type { RateLimitSettings } from './rate-limits.js';

/** Action taken after the fixture's last block. */
export type AtEnd = 'restart' | 'stop' | 'exit';

export const AT_END_CHOICES: readonly AtEnd[] = ['restart', 'stop', 'exit'];

export interface DevnodeOptions {
  /** Interface to listen on, such as `127.0.0.1` or `::1`. */
  host: string;
  /** TCP port; 0 lets the operating system pick a free one. */
  port: number;
  /** Seconds between replayed blocks; 0 replays as fast as the event loop allows. */
  blockIntervalSeconds: number;
  atEnd: AtEnd;
  /** Gzipped replay fixture; the one shipped in data/ when absent. */
  fixturePath?: string;
  /** Maximum number of addresses one connection may watch on address-transactions. */
  maxWatchedAddresses: number;
  /** Accepted `auth` tokens. With none, every `auth` request succeeds and no channel is private. */
  tokens: string[];
  /** Channels that need a successful `auth` before a subscribe; requires at least one token. */
  privateChannels: ChannelName[];
  /** Receives one event per call, without prefix or line break. Never receives a token. */
  log: (line: string) => void;
  /**
   * When true, connection, request and answered-error events are not logged. Start-up, replay
   * restarts and slow clients closed with 1008 are still logged.
   */
  quiet?: boolean;
  /** Unsent bytes queued for one client after which it is closed with 1008; default 64 MiB. */
  maxBufferedBytes?: number;
  /**
   * Client addresses and CIDR ranges allowed to connect, as cs.conf's wsallowip; others are
   * refused at the upgrade with 403. Default: loopback only (127.0.0.0/8 and ::1).
   */
  allowedAddresses?: string[];
  /** Serve wss with this PEM certificate and key instead of ws. */
  tls?: DevnodeTls;
  /** Mempool notifications per minute and requests per 10 s of one connection; defaults 1000 and 100. */
  rateLimits?: RateLimitSettings;
}

export interface DevnodeTls {
  cert: Buffer;
  key: Buffer;
  /** When set, every client must present a certificate signed by this PEM CA. */
  clientCa?: Buffer;
}

export const DEFAULT_HOST = '127.0.0.1';
/** The node's documented default `wsport`. */
export const DEFAULT_PORT = 16181;
export const DEFAULT_BLOCK_INTERVAL_SECONDS = 10;
export const DEFAULT_MAX_WATCHED_ADDRESSES = 10_000;
export const MEBIBYTE = 1024 * 1024;
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * MEBIBYTE;
/** Largest request frame accepted; a bigger one closes the connection with 1009. */
export const MAX_REQUEST_BYTES = 4 * MEBIBYTE;

/** setTimeout cannot wait longer than 2^31 - 1 ms, so no block interval may exceed it. */
const MAX_BLOCK_INTERVAL_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Throws a usage CscwsError naming the first option value that the devnode cannot run with. */
export function validateDevnodeOptions(options: DevnodeOptions): void {
  if (typeof options.host !== 'string' || options.host.trim() === '') {
    throw usageError(`host ${JSON.stringify(options.host)} is empty`, 'pass --host 127.0.0.1 or another local address');
  }

  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw usageError(`port ${String(options.port)} is not an integer from 0 to 65535`, '--port 0 picks a free port');
  }

  const interval = options.blockIntervalSeconds;
  if (!Number.isFinite(interval) || interval < 0 || interval > MAX_BLOCK_INTERVAL_SECONDS) {
    throw usageError(
      `block interval ${String(interval)} is not a number of seconds from 0 to ${MAX_BLOCK_INTERVAL_SECONDS}`,
      'pass --block-interval 10 for one block every 10 s, or 0 to replay as fast as possible',
    );
  }

  if (!Number.isInteger(options.maxWatchedAddresses) || options.maxWatchedAddresses < 1) {
    throw usageError(
      `maximum of watched addresses ${String(options.maxWatchedAddresses)} is not a positive integer`,
      `pass --max-addresses ${DEFAULT_MAX_WATCHED_ADDRESSES} or another whole number of at least 1`,
    );
  }

  const buffered = options.maxBufferedBytes;
  if (buffered !== undefined && (!Number.isFinite(buffered) || buffered <= 0)) {
    throw usageError(
      `send buffer limit ${String(buffered)} bytes is not a positive number`,
      'pass --max-send-buffer 64 for 64 MiB',
    );
  }

  const limits = options.rateLimits;
  if (limits !== undefined) {
    for (const [name, value] of [['--mempool-limit', limits.mempoolPerMinute], ['--request-limit', limits.requestsPer10Seconds]] as const) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw usageError(`${name} ${String(value)} is not a whole number of at least 1`, `pass a count such as ${name === '--mempool-limit' ? 1000 : 100}`);
      }
    }
  }

  if (!(AT_END_CHOICES as readonly string[]).includes(options.atEnd)) {
    throw usageError(`at-end action ${JSON.stringify(options.atEnd)} is unknown`, `use one of: ${AT_END_CHOICES.join(', ')}`);
  }

  const emptyToken = options.tokens.findIndex((token) => typeof token !== 'string' || token === '');
  if (emptyToken !== -1) {
    // The value itself is never shown, because it is meant to be a secret.
    throw usageError(`token number ${emptyToken + 1} is empty`, 'pass a non-empty value to each --token');
  }

  for (const channel of options.privateChannels) {
    if (!(CHANNEL_NAMES as readonly string[]).includes(channel)) {
      throw usageError(`private channel ${JSON.stringify(channel)} does not exist`, `use one of: ${CHANNEL_NAMES.join(', ')}`);
    }
  }
  if (options.privateChannels.length > 0 && options.tokens.length === 0) {
    throw usageError(
      `private channels ${options.privateChannels.join(', ')} need a token, but none is configured`,
      'add --token TOKEN, or drop --private',
    );
  }
}
