import type { Options } from 'yargs';

/**
 * Options that decide how `cscws subscribe` reaches a node and proves who it is: token file, TLS,
 * proxy, extra upgrade headers, and a node's cs.conf in place of a URL. Spread into the
 * connection options of subscribe; docs/access.md describes each.
 */
export const clientAccessOptions = {
  'token-file': {
    type: 'string',
    describe: 'File whose content is the auth token (trailing line break removed); preferred over --token (env CSCWS_TOKEN_FILE)',
  },
  ca: {
    type: 'string',
    describe: 'PEM file of the certificate authority that signed the node’s wss certificate, for a private CA',
  },
  cert: {
    type: 'string',
    describe: 'PEM file of a client certificate, for a node that requires one; needs --key',
  },
  key: {
    type: 'string',
    describe: 'PEM file of the private key of --cert',
  },
  insecure: {
    type: 'boolean',
    default: false,
    describe: 'Do not verify the node’s wss certificate (anyone on the path can then read the traffic and the token); warns on every run',
  },
  proxy: {
    type: 'string',
    describe: 'HTTP proxy URL (http://HOST:PORT) for the connection, reached with CONNECT; overrides HTTPS_PROXY, HTTP_PROXY and NO_PROXY',
  },
  header: {
    alias: 'H',
    type: 'string',
    array: true,
    // One value per -H, so that a channel name after it is not taken for a second header.
    nargs: 1,
    describe: 'HTTP header "Name: value" added to the WebSocket upgrade request, for gateways that want an API key; repeatable',
  },
  'local-address': {
    type: 'string',
    describe: 'Local IP address to connect from, on a machine with several; the node’s wsallowip must admit it',
  },
  conf: {
    type: 'string',
    describe: 'The node’s cs.conf: build the URL from its wsport and --host, instead of --url',
  },
  host: {
    type: 'string',
    default: 'localhost',
    describe: 'With --conf: the node’s host name or address',
  },
  tls: {
    type: 'boolean',
    default: false,
    describe: 'With --conf: connect with wss:// instead of ws://',
  },
} as const satisfies Record<string, Options>;

/** Option names whose values are secrets: `cscws config` masks them and no log shows them. */
export const SECRET_OPTIONS: ReadonlySet<string> = new Set(['token', 'header']);

/** Option names whose values are file paths, resolved against the config file's folder when set there. */
export const PATH_OPTIONS: ReadonlySet<string> = new Set(['token-file', 'ca', 'cert', 'key', 'conf']);

/** Returns `table` without the access options, for commands that connect only to loopback. */
export function withoutClientAccessOptions<T extends Record<string, Options>>(table: T): Omit<T, keyof typeof clientAccessOptions> {
  const rest: Record<string, Options> = { ...table };
  for (const name of Object.keys(clientAccessOptions)) {
    delete rest[name];
  }
  return rest as Omit<T, keyof typeof clientAccessOptions>;
}

/** Access arguments of a run that uses none: no token file, no TLS files, no proxy, no headers. */
export const NO_ACCESS_ARGUMENTS = {
  'token-file': undefined,
  ca: undefined,
  cert: undefined,
  key: undefined,
  insecure: false,
  proxy: undefined,
  header: undefined,
  'local-address': undefined,
  conf: undefined,
  host: 'localhost',
  tls: false,
} as const;
