import { CscwsError } from '../errors.js';

/**
 * OpenSSL verification codes that Node.js sets on `error.code` when the node's certificate is not
 * trusted, with what the user should read. Names from the Node.js 20 `tls` documentation.
 */
const UNTRUSTED_CERTIFICATE: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'is signed by a self-signed certificate authority that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'is signed by a certificate authority that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'is signed by a certificate authority that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT: 'is signed by a certificate authority that is not trusted',
  CERT_SIGNATURE_FAILURE: 'has a signature that does not verify',
};

const CA_HINT = 'If the node uses a private certificate authority, pass its certificate with --ca FILE. --insecure skips the check, which lets anyone on the path read the traffic and the token.';

/**
 * Turns a TLS failure of the connection to `url` into a CscwsError('connection') that names what
 * is wrong with the certificate and the option that fixes it. Returns undefined for other errors.
 */
export function describeTlsFailure(url: URL, error: NodeJS.ErrnoException): CscwsError | undefined {
  const where = url.host;
  const code = error.code ?? '';

  const untrusted = UNTRUSTED_CERTIFICATE[code];
  if (untrusted !== undefined) {
    return new CscwsError('connection', `the certificate of ${where} ${untrusted} (${code})`, { hint: CA_HINT, cause: error });
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return new CscwsError('connection', `the certificate of ${where} has expired (${code})`, {
      hint: 'The node’s operator must renew it. --ca does not help with an expired certificate; --insecure skips the check at your own risk.',
      cause: error,
    });
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return new CscwsError('connection', `the certificate of ${where} is not valid yet (${code})`, {
      hint: 'Check the clock of this machine and of the node.',
      cause: error,
    });
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new CscwsError('connection', `the certificate of ${where} is not valid for the host name ${url.hostname}: ${error.message}`, {
      hint: 'Connect with a host name that the certificate names (see the message), or have the certificate reissued for this one.',
      cause: error,
    });
  }
  if (/ALERT_CERTIFICATE_REQUIRED|ALERT_BAD_CERTIFICATE|ALERT_UNKNOWN_CA|ALERT_HANDSHAKE_FAILURE/i.test(code)) {
    return new CscwsError('connection', `${where} rejected the TLS handshake (${code}); it probably requires a client certificate that it trusts`, {
      hint: 'Pass the client certificate and its key with --cert FILE --key FILE.',
      cause: error,
    });
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return new CscwsError('connection', `TLS with ${where} failed: ${error.message}`, {
      hint: url.protocol === 'wss:' ? 'Check that the node serves wss on this port.' : 'The node may expect wss://.',
      cause: error,
    });
  }
  return undefined;
}

/**
 * Returns whether `error` is a TLS failure that describeTlsFailure explains. Such a failure comes
 * back on every attempt until the configuration changes, so the run does not reconnect after it.
 */
export function isTlsFailure(error: unknown): boolean {
  if (!(error instanceof Error) || typeof (error as NodeJS.ErrnoException).code !== 'string') {
    return false;
  }
  // The URL only shapes the message, which is discarded here.
  return describeTlsFailure(new URL('wss://localhost'), error as NodeJS.ErrnoException) !== undefined;
}
