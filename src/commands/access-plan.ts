import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';

import { ENVIRONMENT_ACCESS, type ClientAccess, type ProxySetting } from '../connection/client-access.js';
import { CscwsError, usageError } from '../errors.js';
import { writeWarning } from '../output/diagnostics.js';
import { registerSecret } from '../output/redact.js';
import { CsConfError, DEFAULT_WSPORT, parseCsConf } from '../protocol/cs-conf.js';
import type { OptionSource, OptionSources } from './option-sources.js';

/** The access options of subscribe as yargs parsed them, after flags, environment and config file. */
export interface AccessArguments {
  url: string;
  token: string | undefined;
  'token-file': string | undefined;
  ca: string | undefined;
  cert: string | undefined;
  key: string | undefined;
  insecure: boolean;
  proxy: string | undefined;
  header: (string | number)[] | undefined;
  'local-address': string | undefined;
  conf: string | undefined;
  host: string;
  tls: boolean;
}

/** Result of the access options: the token, the URL when --conf builds it, and the ClientAccess. */
export interface AccessPlan {
  /** Built from --conf; undefined when --url (or its default) applies. */
  url: URL | undefined;
  token: string | undefined;
  access: ClientAccess;
}

const SOURCE_RANK: Readonly<Record<OptionSource, number>> = { flag: 3, env: 2, file: 1, default: 0, unset: 0 };

/** Headers that the WebSocket handshake itself sets; replacing them would break the upgrade. */
const HANDSHAKE_HEADERS = new Set([
  'host', 'connection', 'upgrade', 'content-length', 'transfer-encoding',
  'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions',
]);
/** RFC 9110 token characters, the only ones allowed in a header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Checks and reads the access options: token or token file, TLS files, proxy, headers, local
 * address and cs.conf. Throws a usage CscwsError naming the first bad value, never a secret.
 */
export function planAccess(args: AccessArguments, sources: OptionSources): AccessPlan {
  const token = chooseToken(args, sources);
  if (token !== undefined) {
    registerSecret(token);
  }

  const access: ClientAccess = {
    ...ENVIRONMENT_ACCESS,
    rejectUnauthorized: !args.insecure,
    proxy: parseProxy(args.proxy),
    headers: parseHeaders(args.header ?? []),
  };
  if (args.ca !== undefined) access.ca = readPem('--ca', args.ca, 'CERTIFICATE');
  if (args.cert !== undefined) access.cert = readPem('--cert', args.cert, 'CERTIFICATE');
  if (args.key !== undefined) access.key = readPem('--key', args.key, 'PRIVATE KEY');
  if ((access.cert === undefined) !== (access.key === undefined)) {
    throw usageError(
      access.cert === undefined ? '--key is set without --cert' : '--cert is set without --key',
      'A client certificate needs both: --cert FILE --key FILE.',
    );
  }
  if (args['local-address'] !== undefined) {
    access.localAddress = parseLocalAddress(args['local-address']);
  }

  return { url: urlFromConf(args, sources), token, access };
}

/** Picks the token from --token or --token-file; when both are set, the higher source wins. */
function chooseToken(args: AccessArguments, sources: OptionSources): string | undefined {
  const tokenSource = sources.sourceOf('token');
  const fileSource = sources.sourceOf('token-file');
  const useFile =
    args['token-file'] !== undefined &&
    (args.token === undefined || SOURCE_RANK[fileSource] > SOURCE_RANK[tokenSource]);

  if (args['token-file'] !== undefined && args.token !== undefined && fileSource === tokenSource) {
    throw usageError(
      `both a token and a token file are set (${describeSource(tokenSource)})`,
      'Keep one of them; --token-file is the safer.',
    );
  }

  if (useFile) {
    return readTokenFile(args['token-file'] as string);
  }
  if (args.token === undefined) {
    return undefined;
  }
  if (args.token.trim() === '') {
    // The value is empty, so naming it here leaks nothing.
    throw usageError('the token is empty', 'Pass a token with --token-file, CSCWS_TOKEN or --token, or leave them all unset.');
  }
  if (tokenSource === 'flag') {
    writeWarning('--token is visible to other users in the process list; prefer --token-file FILE or CSCWS_TOKEN');
  }
  return args.token;
}

function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read the token file ${path}: ${(error as Error).message}`, 'Check the path given to --token-file.');
  }

  const token = text.replace(/[\r\n]+$/, '');
  if (token.trim() === '') {
    throw usageError(`the token file ${path} is empty`, 'Write the token into it, on one line.');
  }
  if (/[\r\n]/.test(token)) {
    throw usageError(`the token file ${path} contains more than one line`, 'Write only the token into it, on one line.');
  }

  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o044) !== 0) {
      writeWarning(`the token file ${path} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 ${path}`);
    }
  }
  return token;
}

function urlFromConf(args: AccessArguments, sources: OptionSources): URL | undefined {
  if (args.conf === undefined) {
    for (const option of ['host', 'tls'] as const) {
      if (SOURCE_RANK[sources.sourceOf(option)] > 0) {
        throw usageError(`--${option} is only used with --conf`, 'Pass the node’s cs.conf with --conf PATH, or give the whole URL with --url.');
      }
    }
    return undefined;
  }
  if (SOURCE_RANK[sources.sourceOf('url')] > 0) {
    throw usageError(`both --url (${describeSource(sources.sourceOf('url'))}) and --conf are set`, 'Keep one: --conf builds the URL from the node’s wsport.');
  }

  let text: string;
  try {
    text = readFileSync(args.conf, 'utf8');
  } catch (error) {
    throw usageError(`cannot read the node configuration ${args.conf}: ${(error as Error).message}`, 'Give the path of the node’s cs.conf to --conf.');
  }
  let port: number;
  try {
    port = parseCsConf(text).wsport ?? DEFAULT_WSPORT;
  } catch (error) {
    if (error instanceof CsConfError) {
      throw usageError(`${args.conf}: ${error.message}`, 'Fix the line in the node’s cs.conf.');
    }
    throw error;
  }

  const host = isIP(args.host) === 6 ? `[${args.host}]` : args.host;
  try {
    return new URL(`${args.tls ? 'wss' : 'ws'}://${host}:${port}`);
  } catch {
    throw usageError(`--host "${args.host}" is not a host name or address`, 'Pass a host such as localhost or 192.0.2.10.');
  }
}

function parseProxy(text: string | undefined): ProxySetting {
  if (text === undefined) {
    return { kind: 'environment' };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError('invalid --proxy URL', 'Give a proxy URL such as http://proxy.example:3128.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`--proxy has the scheme ${url.protocol} where http: or https: is expected`, 'Give a proxy URL such as http://proxy.example:3128.');
  }
  return { kind: 'url', url };
}

function parseHeaders(values: readonly (string | number)[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const text = String(value);
    const colon = text.indexOf(':');
    const name = colon === -1 ? '' : text.slice(0, colon).trim();
    if (!HEADER_NAME.test(name)) {
      // Only the part before the colon is shown: the value may be a key.
      throw usageError(`-H "${colon === -1 ? '…' : `${name.slice(0, 40)}: …`}" is not of the form "Name: value"`, 'Pass each header as -H "X-Api-Key: VALUE".');
    }
    if (HANDSHAKE_HEADERS.has(name.toLowerCase())) {
      throw usageError(`-H cannot set ${name}, which the WebSocket handshake sets itself`);
    }
    const headerValue = text.slice(colon + 1).trim();
    if (/[\0-\x08\x0a-\x1f\x7f]/.test(headerValue)) {
      throw usageError(`-H ${name}: the value contains a control character`, 'Header values are one line of printable text.');
    }
    headers[name] = headerValue;
    registerSecret(headerValue);
  }
  return headers;
}

function readPem(option: string, path: string, label: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (error) {
    throw usageError(`cannot read ${option} ${path}: ${(error as Error).message}`, `Check the path given to ${option}.`);
  }
  if (!pem.includes(`-----BEGIN`) || !pem.includes(`${label}-----`)) {
    throw new CscwsError('usage', `${option} ${path} contains no PEM ${label.toLowerCase()}`, {
      hint: `Give a PEM file that contains "-----BEGIN ${label}-----".`,
    });
  }
  return pem;
}

function parseLocalAddress(text: string): string {
  if (isIP(text) === 0) {
    throw usageError(`--local-address "${text}" is not an IP address`, 'Give an address of this machine, such as 127.0.0.1 or ::1.');
  }
  return text;
}

function describeSource(source: OptionSource): string {
  switch (source) {
    case 'flag':
      return 'on the command line';
    case 'env':
      return 'in the environment';
    case 'file':
      return 'in the config file';
    default:
      return 'by default';
  }
}
