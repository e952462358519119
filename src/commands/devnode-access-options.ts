import type { Options } from 'yargs';

/**
 * Options of `cscws devnode` that mirror a node's access settings: its cs.conf, the allowed
 * client addresses, wss, and the per-connection rate limits. Spread into the devnode's options.
 */
export const devnodeAccessOptions = {
  conf: {
    type: 'string',
    describe: 'A node’s cs.conf: listen on its wsport (unless --port is given) and allow only its wsallowip addresses and ranges',
  },
  'allow-ip': {
    type: 'string',
    array: true,
    describe: 'Client address or CIDR range allowed to connect, IPv4 or IPv6; repeatable, added to the wsallowip of --conf. Without either: loopback only',
  },
  'tls-cert': {
    type: 'string',
    describe: 'PEM certificate to serve wss:// with; needs --tls-key',
  },
  'tls-key': {
    type: 'string',
    describe: 'PEM private key of --tls-cert',
  },
  'tls-client-ca': {
    type: 'string',
    describe: 'PEM CA certificate; with it every client must present a certificate that this CA signed',
  },
  'mempool-limit': {
    type: 'number',
    default: 1000,
    describe: 'Mempool notifications per minute per connection; the excess is dropped with one rate_limit_exceeded error a minute',
  },
  'request-limit': {
    type: 'number',
    default: 100,
    describe: 'Requests per 10 s per connection; more are answered with rate_limit_exceeded, and over twice as many close the connection with 1008',
  },
} as const satisfies Record<string, Options>;
