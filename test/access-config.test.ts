import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { WebSocketServer } from 'ws';

import { runCli, type CliResult } from './helpers/cli.js';

const TOKEN = 'cfg-token-81d2f0a7c3';

/** A node stand-in that accepts every request, sends one block, and records each upgrade request's headers. */
interface RecordingServer {
  url: string;
  port: number;
  upgrades: IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function startRecordingServer(): Promise<RecordingServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const upgrades: IncomingHttpHeaders[] = [];
  server.on('connection', (socket, request) => {
    upgrades.push(request.headers);
    socket.on('message', (data) => {
      const json = JSON.parse(data.toString()) as { action: string; channel?: string };
      socket.send(JSON.stringify({ status: 'success', ...(json.channel === undefined ? {} : { channel: json.channel }), data: {} }));
      if (json.action === 'subscribe') {
        socket.send('{"channel":"new-blocks","data":{"height":1}}');
      }
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    upgrades,
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

let home: string;
/** One server each for the URL set by the config file, by CSCWS_URL and by --url. */
let fileServer: RecordingServer;
let envServer: RecordingServer;
let flagServer: RecordingServer;

function writeConfig(values: Record<string, unknown>): void {
  mkdirSync(join(home, 'cscws'), { recursive: true });
  const path = join(home, 'cscws', 'config.json');
  writeFileSync(path, JSON.stringify(values), { mode: 0o600 });
  chmodSync(path, 0o600);
}

function cscws(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env: { XDG_CONFIG_HOME: home, ...env } });
}

function subscribeOnce(extra: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return cscws(['subscribe', 'new-blocks', '--count', '1', '--output', 'jsonl', ...extra], env);
}

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'cscws-config-'));
  fileServer = await startRecordingServer();
  envServer = await startRecordingServer();
  flagServer = await startRecordingServer();
});

after(async () => {
  for (const server of [fileServer, envServer, flagServer]) {
    await server.close();
  }
  rmSync(home, { recursive: true, force: true });
});

describe('precedence', () => {
  test('config file sets the URL', async () => {
    writeConfig({ url: fileServer.url });
    const before = fileServer.upgrades.length;
    const result = await subscribeOnce([]);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(fileServer.upgrades.length, before + 1);
  });

  test('environment beats the file', async () => {
    writeConfig({ url: fileServer.url });
    const before = envServer.upgrades.length;
    const result = await subscribeOnce([], { CSCWS_URL: envServer.url });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(envServer.upgrades.length, before + 1);
  });

  test('flag beats environment and file', async () => {
    writeConfig({ url: fileServer.url });
    const before = flagServer.upgrades.length;
    const result = await subscribeOnce(['--url', flagServer.url], { CSCWS_URL: envServer.url });

    assert.equal(result.code, 0, result.stderr);
    assert.equal(flagServer.upgrades.length, before + 1);
  });

  test('cscws config shows each source', async () => {
    writeConfig({ url: fileServer.url, 'connect-timeout': 7, token: TOKEN });
    const result = await cscws(['config', '--count', '3'], { CSCWS_OUTPUT: 'text' });

    assert.equal(result.code, 0, result.stderr);
    const row = (name: string): string => result.stdout.split('\n').find((line) => line.startsWith(`${name} `)) ?? '';
    assert.match(result.stdout, /^config file: .*cscws\/config\.json\n/);
    assert.match(row('url'), new RegExp(`${fileServer.url}\\s+file .*config\\.json$`));
    assert.match(row('connect-timeout'), /7\s+file /);
    assert.match(row('output'), /text\s+env CSCWS_OUTPUT$/);
    assert.match(row('count'), /3\s+flag --count$/);
    assert.match(row('max-message-size'), /16777216\s+default$/);
    assert.match(row('token'), /\*{8}\s+file /);
    assert.ok(!result.stdout.includes(TOKEN), 'the token is masked');
    assert.ok(!result.stderr.includes(TOKEN), 'the token is not on stderr');
  });

  test('config masks a token from the environment', async () => {
    writeConfig({});
    const result = await cscws(['config', '-H', 'X-Api-Key: key-5566778899'], { CSCWS_TOKEN: TOKEN });

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /token\s+\*{8}\s+env CSCWS_TOKEN/);
    assert.match(result.stdout, /header\s+X-Api-Key: \*{8}\s+flag --header/);
    assert.ok(!result.stdout.includes(TOKEN));
    assert.ok(!result.stdout.includes('key-5566778899'));
  });

  test('unknown key is a usage error', async () => {
    writeConfig({ adress: 'csc1q' });
    const result = await subscribeOnce(['--url', flagServer.url]);

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /unknown option "adress" in the config file .*config\.json/);
  });

  test('wrong type is a usage error', async () => {
    writeConfig({ 'connect-timeout': 'ten' });
    const result = await subscribeOnce(['--url', flagServer.url]);

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /"connect-timeout" in the config file .* must be a number/);
  });

  test('token file path is relative to the file', async () => {
    writeFileSync(join(home, 'cscws', 'token'), TOKEN, { mode: 0o600 });
    chmodSync(join(home, 'cscws', 'token'), 0o600);
    writeConfig({ url: fileServer.url, 'token-file': 'token' });
    const result = await subscribeOnce(['--verbose']);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /authenticated/);
    assert.ok(!result.stderr.includes(TOKEN));
  });

  test('secret in a readable file warns', async () => {
    writeConfig({ url: fileServer.url, token: TOKEN });
    chmodSync(join(home, 'cscws', 'config.json'), 0o644);
    const result = await subscribeOnce([]);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: the config file .* holds a secret and other users may read it \(mode 0644\)/);
  });
});

describe('headers and cs.conf', () => {
  before(() => writeConfig({}));

  test('-H reaches the upgrade request', async () => {
    const before = flagServer.upgrades.length;
    const result = await subscribeOnce(['--url', flagServer.url, '-H', 'X-Api-Key: key-1234567890', '--header', 'X-Client: cscws-test', '--verbose']);

    assert.equal(result.code, 0, result.stderr);
    const headers = flagServer.upgrades[before];
    assert.equal(headers?.['x-api-key'], 'key-1234567890');
    assert.equal(headers?.['x-client'], 'cscws-test');
    assert.ok(!result.stderr.includes('key-1234567890'), 'the header value is not logged');
  });

  test('-H without a colon is a usage error', async () => {
    const result = await subscribeOnce(['--url', flagServer.url, '-H', 'secret-without-name']);

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /is not of the form "Name: value"/);
    assert.ok(!result.stderr.includes('secret-without-name'), 'the malformed value is not shown');
  });

  test('-H cannot replace handshake headers', async () => {
    const result = await subscribeOnce(['--url', flagServer.url, '-H', 'Upgrade: h2c']);

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /-H cannot set Upgrade/);
  });

  test('--conf builds the URL from wsport', async () => {
    const conf = join(home, 'cs.conf');
    writeFileSync(conf, `server=1\n# WebSocket API\nwsport=16181\nwsport=${fileServer.port}\nwsallowip=127.0.0.1\n`);
    const before = fileServer.upgrades.length;
    const result = await subscribeOnce(['--conf', conf, '--host', '127.0.0.1', '--verbose']);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`connecting to ws://127\\.0\\.0\\.1:${fileServer.port}/`));
    assert.equal(fileServer.upgrades.length, before + 1);
  });

  test('--conf and --url conflict', async () => {
    const result = await subscribeOnce(['--conf', join(home, 'cs.conf'), '--url', flagServer.url]);

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /both --url \(on the command line\) and --conf are set/);
  });

  test('--host without --conf is a usage error', async () => {
    const result = await subscribeOnce(['--host', '127.0.0.1', '--url', flagServer.url]);

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--host is only used with --conf/);
  });
});
