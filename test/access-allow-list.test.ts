import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import WebSocket from 'ws';

import { AllowList } from '../src/devnode/allow-list.js';
import { runCli } from './helpers/cli.js';
import { startDevnodeProcess, type DevnodeProcess } from './helpers/devnode-process.js';

const children: DevnodeProcess[] = [];
let dir: string;

async function startDevnode(args: string[]): Promise<DevnodeProcess> {
  const devnode = await startDevnodeProcess(args);
  children.push(devnode);
  return devnode;
}

/** Returns a port that was free a moment ago, for a cs.conf wsport. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(typeof address === 'object' && address !== null);
  return address.port;
}

/** Opens a raw WebSocket from `localAddress` and resolves with the HTTP status of a refusal, or 101. */
function upgradeStatus(url: string, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { localAddress });
    socket.on('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', reject);
  });
}

/** Some CI machines have no IPv6 loopback; the IPv6 cases are skipped there. */
async function hasIpv6Loopback(): Promise<boolean> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '::1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return true;
  } catch {
    return false;
  }
}
const ipv6 = await hasIpv6Loopback();

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cscws-allow-'));
});

after(() => {
  for (const child of children) {
    child.kill();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('wsallowip from cs.conf', () => {
  let devnode: DevnodeProcess;
  let wsport: number;

  before(async () => {
    wsport = await freePort();
    const conf = join(dir, 'cs.conf');
    writeFileSync(conf, `# node settings\nrpcport=1234\nwsport=${wsport}\nwsallowip=127.0.0.2 # the only client\n`);
    devnode = await startDevnode(['--host', '127.0.0.1', '--conf', conf, '--block-interval', '0.2']);
  });

  test('listens on wsport', () => {
    assert.equal(devnode.port, wsport);
  });

  test('refuses 127.0.0.1 with 403', async () => {
    const result = await runCli(['subscribe', 'new-blocks', '--url', devnode.url, '--count', '1']);

    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /refused the WebSocket upgrade with HTTP 403/);
    assert.match(result.stderr, /wsallowip/);
    await devnode.waitForStderr(/refused 127\.0\.0\.1:\d+ with 403: not in the allowed addresses \(127\.0\.0\.2\)/);
  });

  test('admits a client bound to 127.0.0.2', async () => {
    const result = await runCli(['subscribe', 'new-blocks', '--url', devnode.url, '--count', '1', '--local-address', '127.0.0.2', '--connect-timeout', '20']);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /"channel":"new-blocks"/);
    await devnode.waitForStderr(/connected from 127\.0\.0\.2:\d+/);
  });

  test('raw upgrade statuses match', async () => {
    assert.equal(await upgradeStatus(devnode.url, '127.0.0.1'), 403);
    assert.equal(await upgradeStatus(devnode.url, '127.0.0.2'), 101);
  });

  test('--port wins over wsport', async () => {
    const conf = join(dir, 'cs.conf');
    const other = await startDevnode(['--conf', conf, '--port', '0', '--quiet']);

    assert.notEqual(other.port, wsport);
  });
});

describe('default and IPv6 allow-lists', () => {
  test('default allows loopback only', async () => {
    const devnode = await startDevnode(['--port', '0', '--quiet']);
    await devnode.waitForStderr(/allowed client addresses: 127\.0\.0\.0\/8, ::1/);

    assert.equal(await upgradeStatus(devnode.url, '127.0.0.3'), 101);
  });

  test('IPv6 CIDR admits ::1', { skip: !ipv6 && 'no IPv6 loopback' }, async () => {
    const devnode = await startDevnode(['--host', '::1', '--port', '0', '--allow-ip', '::1/128', '--quiet']);

    assert.equal(await upgradeStatus(devnode.url, '::1'), 101);
  });

  test('IPv4-only list refuses ::1', { skip: !ipv6 && 'no IPv6 loopback' }, async () => {
    const devnode = await startDevnode(['--host', '::1', '--port', '0', '--allow-ip', '127.0.0.0/8', '--quiet']);

    assert.equal(await upgradeStatus(devnode.url, '::1'), 403);
  });

  test('invalid entry is a usage error', async () => {
    const conf = join(dir, 'bad.conf');
    writeFileSync(conf, 'wsallowip=300.1.2.3\n');
    const result = await runCli(['devnode', '--conf', conf, '--port', '0']);

    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /allowed address "300\.1\.2\.3" is neither an IP address nor a CIDR range/);
  });
});

describe('AllowList matching', () => {
  const cases: [string[], string, boolean][] = [
    [['127.0.0.1'], '127.0.0.1', true],
    [['127.0.0.1'], '127.0.0.2', false],
    [['192.168.1.0/24'], '192.168.1.77', true],
    [['192.168.1.0/24'], '192.168.2.1', false],
    [['192.168.1.0/24'], '::ffff:192.168.1.5', true],
    [['::ffff:10.0.0.0/104'], '10.1.2.3', true],
    [['fd00::/8'], 'fd12:3456::1', true],
    [['fd00::/8'], 'fe80::1', false],
    [['::1'], '::1', true],
    [['::1'], '127.0.0.1', false],
    [['127.0.0.0/8', '::1'], '::ffff:127.0.0.9', true],
  ];
  for (const [entries, address, expected] of cases) {
    test(`${entries.join(',')} ${expected ? 'admits' : 'refuses'} ${address}`, () => {
      assert.equal(AllowList.parse(entries).allows(address), expected);
    });
  }
});
