import { readFileSync } from 'node:fs';

import { LOOPBACK_ONLY } from '../devnode/allow-list.js';
import type { DevnodeOptions, DevnodeTls } from '../devnode/options.js';
import { usageError } from '../errors.js';
import { CsConfError, parseCsConf } from '../protocol/cs-conf.js';
import type { DevnodeArguments } from './devnode-command.js';
import { devnodeOptions } from './devnode-command.js';
import { OptionSources } from './option-sources.js';

type DevnodeAccessSettings = Pick<DevnodeOptions, 'port' | 'allowedAddresses' | 'tls' | 'rateLimits'>;

/**
 * Reads the devnode's access options: cs.conf (wsport, wsallowip), --allow-ip, the TLS files and
 * the rate limits. --port, as a flag or CSCWS_DEVNODE_PORT, wins over wsport. Throws a usage
 * CscwsError naming the first bad value.
 */
export function readDevnodeAccess(args: DevnodeArguments): DevnodeAccessSettings {
  const sources = new OptionSources(devnodeOptions, process.argv.slice(2), process.env, {}, 'CSCWS_DEVNODE');
  let port = args.port;
  const allowed: string[] = [];

  if (args.conf !== undefined) {
    const conf = readConf(args.conf);
    if (conf.wsport !== undefined && sources.sourceOf('port') === 'default') {
      port = conf.wsport;
    }
    allowed.push(...conf.wsallowip);
  }
  allowed.push(...(args['allow-ip'] ?? []));

  return {
    port,
    allowedAddresses: allowed.length === 0 ? [...LOOPBACK_ONLY] : allowed,
    tls: readTls(args),
    rateLimits: { mempoolPerMinute: args['mempool-limit'], requestsPer10Seconds: args['request-limit'] },
  };
}

/** Describes the access set-up for the start-up log. */
export function describeDevnodeAccess(options: DevnodeOptions): string {
  const allowed = options.allowedAddresses ?? LOOPBACK_ONLY;
  let tls = 'ws (no TLS)';
  if (options.tls !== undefined) {
    tls = options.tls.clientCa === undefined ? 'wss' : 'wss, client certificate required';
  }
  const limits = options.rateLimits;
  const perConnection = limits === undefined ? '' : `; per connection at most ${limits.mempoolPerMinute} mempool notifications a minute and ${limits.requestsPer10Seconds} requests in 10 s`;
  return `access: ${tls}; allowed client addresses: ${allowed.join(', ')}${perConnection}`;
}

function readConf(path: string): ReturnType<typeof parseCsConf> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read --conf ${path}: ${(error as Error).message}`, 'give the path of a cs.conf file');
  }
  try {
    return parseCsConf(text);
  } catch (error) {
    if (error instanceof CsConfError) {
      throw usageError(`${path}: ${error.message}`, 'fix that line of the cs.conf');
    }
    throw error;
  }
}

function readTls(args: DevnodeArguments): DevnodeTls | undefined {
  const certPath = args['tls-cert'];
  const keyPath = args['tls-key'];
  if (certPath === undefined && keyPath === undefined) {
    if (args['tls-client-ca'] !== undefined) {
      throw usageError('--tls-client-ca needs --tls-cert and --tls-key', 'client certificates are only asked for over wss');
    }
    return undefined;
  }
  if (certPath === undefined || keyPath === undefined) {
    throw usageError(`${certPath === undefined ? '--tls-key' : '--tls-cert'} is set without ${certPath === undefined ? '--tls-cert' : '--tls-key'}`, 'wss needs both: --tls-cert FILE --tls-key FILE');
  }

  const tls: DevnodeTls = { cert: readPem('--tls-cert', certPath), key: readPem('--tls-key', keyPath) };
  if (args['tls-client-ca'] !== undefined) {
    tls.clientCa = readPem('--tls-client-ca', args['tls-client-ca']);
  }
  return tls;
}

function readPem(option: string, path: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (error) {
    throw usageError(`cannot read ${option} ${path}: ${(error as Error).message}`, `check the path given to ${option}`);
  }
  if (!pem.includes('-----BEGIN')) {
    throw usageError(`${option} ${path} is not a PEM file`, 'give a file that starts with -----BEGIN');
  }
  return pem;
}
