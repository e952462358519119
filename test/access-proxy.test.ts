import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { runCli } from './helpers/cli.js';
import { createTestPki, type TestPki } from './helpers/certificates.js';
import { startConnectProxy, type ConnectProxy } from './helpers/connect-proxy.js';
import { startDevnodeProcess, type DevnodeProcess } from './helpers/devnode-process.js';

let proxy: ConnectProxy;
let plain: DevnodeProcess;
let secure: DevnodeProcess;
let pki: TestPki;

/** Proxy variables cleared, so the machine's own settings never route a test. */
const NO_PROXY_ENV = { HTTP_PROXY: '', HTTPS_PROXY: '', ALL_PROXY: '', NO_PROXY: '', http_proxy: '', https_proxy: '', all_proxy: '', no_proxy: '' };

function subscribeOnce(url: string, extra: string[], env: Record<string, string>): ReturnType<typeof runCli> {
  return runCli(['subscribe', 'new-blocks', '--url', url, '--count', '1', '--output', 'jsonl', '--connect-timeout', '20', ...extra], {
    env: { ...NO_PROXY_ENV, ...env },
  });
}

function hostPort(url: string): string {
  return new URL(url).host;
}

before(async () => {
  pki = createTestPki();
  proxy = await startConnectProxy();
  plain = await startDevnodeProcess(['--port', '0', '--block-interval', '0.2', '--quiet']);
  secure = await startDevnodeProcess(['--port', '0', '--block-interval', '0.2', '--quiet', '--tls-cert', pki.server.cert, '--tls-key', pki.server.key]);
});

after(async () => {
  plain.kill();
  secure.kill();
  await proxy.close();
  rmSync(pki.dir, { recursive: true, force: true });
});

describe('proxy', () => {
  test('HTTPS_PROXY carries wss', async () => {
    const before = proxy.targets.length;
    const result = await subscribeOnce(secure.url, ['--ca', pki.caCert], { HTTPS_PROXY: proxy.url });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"channel":"new-blocks"/);
    assert.deepEqual(proxy.targets.slice(before), [hostPort(secure.url)]);
  });

  test('HTTP_PROXY carries ws', async () => {
    const before = proxy.targets.length;
    const result = await subscribeOnce(plain.url, ['--verbose'], { HTTP_PROXY: proxy.url });

    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(proxy.targets.slice(before), [hostPort(plain.url)]);
    assert.match(result.stderr, /connecting through the proxy http:\/\/127\.0\.0\.1:\d+/);
  });

  test('NO_PROXY host goes direct', async () => {
    const before = proxy.targets.length;
    const result = await subscribeOnce(secure.url, ['--ca', pki.caCert], { HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(proxy.targets.length, before, 'the proxy saw no CONNECT');
  });

  test('--proxy overrides the environment', async () => {
    const before = proxy.targets.length;
    const result = await subscribeOnce(plain.url, ['--proxy', proxy.url], { NO_PROXY: '127.0.0.1' });

    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(proxy.targets.slice(before), [hostPort(plain.url)]);
  });

  test('proxy credentials are sent, never shown', async () => {
    const before = proxy.targets.length;
    const withCredentials = proxy.url.replace('http://', 'http://user:pr0xy-pass-99@');
    const result = await subscribeOnce(plain.url, ['--verbose'], { HTTP_PROXY: withCredentials });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(proxy.authorizations[before], `Basic ${Buffer.from('user:pr0xy-pass-99').toString('base64')}`);
    assert.ok(!result.stderr.includes('pr0xy-pass-99'), 'the proxy password is not on stderr');
    assert.match(result.stderr, /through the proxy http:\/\/\*\*\*@127\.0\.0\.1/);
  });

  test('unreachable proxy is named', async () => {
    const closed = await startConnectProxy();
    await closed.close();
    // Without --no-reconnect the run would retry, since a proxy may come back.
    const result = await subscribeOnce(plain.url, ['--proxy', closed.url, '--no-reconnect'], {});

    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /connection to the proxy http:\/\/127\.0\.0\.1:\d+ refused/);
  });

  test('--proxy with another scheme is a usage error', async () => {
    const result = await subscribeOnce(plain.url, ['--proxy', 'socks5://127.0.0.1:1080'], {});

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--proxy has the scheme socks5: where http: or https: is expected/);
  });
});
