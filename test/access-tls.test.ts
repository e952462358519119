import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { runCli } from './helpers/cli.js';
import { createTestPki, type TestPki } from './helpers/certificates.js';
import { startDevnodeProcess, type DevnodeProcess } from './helpers/devnode-process.js';

const children: DevnodeProcess[] = [];
let pki: TestPki;

async function startTlsDevnode(certificate: { cert: string; key: string }, extra: string[] = []): Promise<DevnodeProcess> {
  const devnode = await startDevnodeProcess([
    '--port', '0', '--block-interval', '0.2',
    '--tls-cert', certificate.cert, '--tls-key', certificate.key,
    ...extra,
  ]);
  children.push(devnode);
  return devnode;
}

function subscribeOnce(url: string, extra: string[] = []): ReturnType<typeof runCli> {
  return runCli(['subscribe', 'new-blocks', '--url', url, '--count', '1', '--connect-timeout', '20', '--output', 'jsonl', ...extra]);
}

before(() => {
  pki = createTestPki();
});

after(() => {
  for (const child of children) {
    child.kill();
  }
  rmSync(pki.dir, { recursive: true, force: true });
});

describe('wss with a certificate of a private CA', () => {
  let devnode: DevnodeProcess;

  before(async () => {
    devnode = await startTlsDevnode(pki.server);
  });

  test('devnode prints a wss URL', () => {
    assert.match(devnode.url, /^wss:\/\/127\.0\.0\.1:\d+$/);
  });

  test('untrusted CA fails naming --ca', async () => {
    const result = await subscribeOnce(devnode.url);

    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /certificate of 127\.0\.0\.1:\d+ is signed by a certificate authority that is not trusted/);
    assert.match(result.stderr, /--ca FILE/);
    assert.equal(result.stdout, '');
  });

  test('--ca verifies and connects', async () => {
    const result = await subscribeOnce(devnode.url, ['--ca', pki.caCert]);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\{"channel":"new-blocks"/);
    assert.doesNotMatch(result.stderr, /insecure/);
  });

  test('--ca works for localhost too', async () => {
    const result = await subscribeOnce(devnode.url.replace('127.0.0.1', 'localhost'), ['--ca', pki.caCert]);

    assert.equal(result.code, 0, result.stderr);
  });

  test('--insecure connects and warns', async () => {
    const result = await subscribeOnce(devnode.url, ['--insecure']);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: --insecure: the certificate of 127\.0\.0\.1:\d+ is not verified/);
    assert.match(result.stdout, /"channel":"new-blocks"/);
  });

  test('plain ws to a wss port fails', async () => {
    // The TLS server drops the plain request, which looks like a passing failure, so the run
    // would reconnect without --no-reconnect.
    const result = await subscribeOnce(devnode.url.replace('wss:', 'ws:'), ['--no-reconnect']);

    assert.equal(result.code, 3, result.stderr);
  });
});

describe('certificates that must fail', () => {
  test('self-signed certificate names --ca', async () => {
    const devnode = await startTlsDevnode(pki.selfSigned);
    const result = await subscribeOnce(devnode.url);

    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    assert.match(result.stderr, /--ca FILE/);
  });

  test('wrong host name fails', async () => {
    const devnode = await startTlsDevnode(pki.wrongHost);
    const result = await subscribeOnce(devnode.url, ['--ca', pki.caCert]);

    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /is not valid for the host name 127\.0\.0\.1/);
  });

  test('expired certificate says so', async () => {
    const devnode = await startTlsDevnode(pki.expired);
    const result = await subscribeOnce(devnode.url, ['--ca', pki.caCert]);

    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /has expired \(CERT_HAS_EXPIRED\)/);
  });
});

describe('client certificate', () => {
  let devnode: DevnodeProcess;

  before(async () => {
    devnode = await startTlsDevnode(pki.server, ['--tls-client-ca', pki.caCert]);
    await devnode.waitForStderr(/access: wss, client certificate required/);
  });

  test('missing client certificate fails', async () => {
    const result = await subscribeOnce(devnode.url, ['--ca', pki.caCert]);

    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /rejected the TLS handshake .*requires a client certificate/);
    assert.match(result.stderr, /--cert FILE --key FILE/);
    await devnode.waitForStderr(/TLS handshake from 127\.0\.0\.1:\d+ failed/);
  });

  test('client certificate is accepted', async () => {
    const result = await subscribeOnce(devnode.url, ['--ca', pki.caCert, '--cert', pki.client.cert, '--key', pki.client.key]);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"channel":"new-blocks"/);
    await devnode.waitForStderr(/connected from 127\.0\.0\.1:\d+ with client certificate CN=cscws test client/);
  });

  test('--cert without --key is a usage error', async () => {
    const result = await subscribeOnce(devnode.url, ['--ca', pki.caCert, '--cert', pki.client.cert]);

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--cert is set without --key/);
  });

  test('--ca of a non-PEM file is a usage error', async () => {
    const result = await subscribeOnce(devnode.url, ['--ca', pki.client.key]);

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /contains no PEM certificate/);
  });
});
