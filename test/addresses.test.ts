import assert from 'node:assert/strict';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { bech32, bech32m } from 'bech32';

import { checkAddress, type AddressProblemKind } from '../src/protocol/addresses.js';
import { lines, runCli, startCli } from './helpers/cli.js';
import { startDevnodeProcess, type DevnodeProcess } from './helpers/devnode-process.js';
import { startScriptServer } from './helpers/script-server.js';

/** Encodes a witness program with the csc prefix, as BIP-173 (bech32) or BIP-350 (bech32m) does. */
function segwit(version: number, programHex: string, variant: 'bech32' | 'bech32m' = version === 0 ? 'bech32' : 'bech32m'): string {
  const words = [version, ...bech32.toWords(Buffer.from(programHex, 'hex'))];
  return (variant === 'bech32' ? bech32 : bech32m).encode('csc', words, 200);
}

function withWords(words: number[], variant: 'bech32' | 'bech32m'): string {
  return (variant === 'bech32' ? bech32 : bech32m).encode('csc', words, 200);
}

/** Replaces the character at `index` with one that differs, keeping it in the bech32 alphabet. */
function withTypo(address: string, index: number): string {
  const replacement = address.charAt(index) === 'q' ? 'p' : 'q';
  return address.slice(0, index) + replacement + address.slice(index + 1);
}

// Witness programs of the BIP-350 valid segwit address vectors, re-encoded with the csc prefix.
const VALID_PROGRAMS: readonly [number, string][] = [
  [0, '751e76e8199196d454941c45d1b3a323f1433bd6'],
  [0, '1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262'],
  [1, '751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6'],
  [16, '751e'],
  [2, '751e76e8199196d454941c45d1b3a323'],
  [0, '000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433'],
  [1, '79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798'],
];

const P20 = '751e76e8199196d454941c45d1b3a323f1433bd6';
const P32 = '1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262';
const DOC_EXAMPLE = 'csc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';

/** The BIP-173 and BIP-350 invalid vectors, rebuilt for the csc prefix, with the problem each must report. */
const INVALID: readonly { name: string; address: string; kind: AddressProblemKind; message: RegExp }[] = [
  { name: 'bitcoin prefix', address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', kind: 'prefix', message: /wrong prefix "bc", expected "csc"/ },
  { name: 'testnet prefix', address: 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', kind: 'prefix', message: /wrong prefix "tb"/ },
  { name: 'version 1 with bech32', address: segwit(1, P32, 'bech32'), kind: 'variant', message: /witness version 1 with a bech32 checksum/ },
  { name: 'version 0 with bech32m', address: segwit(0, P20, 'bech32m'), kind: 'variant', message: /witness version 0 with a bech32m checksum/ },
  { name: 'version 17', address: segwit(17, '751e', 'bech32m'), kind: 'version', message: /witness version 17 is not one of 0 to 16/ },
  { name: 'program of 1 byte', address: segwit(1, '75'), kind: 'program', message: /program of 1 bytes, expected 2 to 40/ },
  { name: 'program of 41 bytes', address: segwit(1, P20 + P20 + '75'), kind: 'program', message: /program of 41 bytes/ },
  { name: 'version 0 program of 16 bytes', address: segwit(0, P20.slice(0, 32)), kind: 'program', message: /version 0 with a program of 16 bytes, expected 20 or 32/ },
  {
    name: 'zero padding over 4 bits',
    address: withWords([0, ...bech32.toWords(Buffer.from(P20, 'hex')), 0], 'bech32'),
    kind: 'program',
    message: /invalid padding/,
  },
  {
    name: 'non-zero padding',
    address: withWords([0, ...bech32.toWords(Buffer.from(P32, 'hex')).map((word, i, all) => (i === all.length - 1 ? word | 1 : word))], 'bech32'),
    kind: 'program',
    message: /invalid padding/,
  },
  { name: 'empty data part', address: withWords([], 'bech32'), kind: 'length', message: /too short/ },
  { name: 'over 90 characters', address: withWords([1, ...new Array<number>(80).fill(0)], 'bech32m'), kind: 'length', message: /over the maximum of 90/ },
  { name: 'mixed case', address: segwit(0, P20).replace('q', 'Q'), kind: 'case', message: /mixed upper and lower case/ },
  { name: 'character outside the alphabet', address: segwit(0, P20).slice(0, 10) + 'b' + segwit(0, P20).slice(11), kind: 'character', message: /invalid character "b" at position 11/ },
  { name: 'control character', address: `csc1q\u007fw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4`, kind: 'character', message: /invalid character U\+007F at position 6/ },
  { name: 'no separator', address: 'cscqw508d6qejxtdg4y5r3zarvary0c5xw7k', kind: 'separator', message: /no separator "1"/ },
  { name: 'typo in the program', address: withTypo(segwit(0, P20), 12), kind: 'checksum', message: /bad checksum, probably a typo/ },
  { name: 'typo in the checksum', address: withTypo(segwit(1, P32), segwit(1, P32).length - 2), kind: 'checksum', message: /bad checksum/ },
  { name: 'API documentation example', address: DOC_EXAMPLE, kind: 'checksum', message: /bad checksum, probably a typo/ },
];

describe('address check', () => {
  for (const [version, program] of VALID_PROGRAMS) {
    const address = segwit(version, program);
    test(`valid version ${version}, ${program.length / 2} bytes`, () => {
      const result = checkAddress(address);

      assert.ok(result.valid, JSON.stringify(result));
      assert.equal(result.address, address);
      assert.equal(result.witnessVersion, version);
    });
  }

  test('all upper case is lowercased', () => {
    const address = segwit(1, P32);
    const result = checkAddress(address.toUpperCase());

    assert.ok(result.valid);
    assert.equal(result.address, address);
  });

  for (const vector of INVALID) {
    test(`invalid: ${vector.name}`, () => {
      const result = checkAddress(vector.address);

      assert.equal(result.valid, false, vector.address);
      assert.ok(!result.valid);
      assert.equal(result.problem.kind, vector.kind, result.problem.message);
      assert.match(result.problem.message, vector.message);
    });
  }
});

describe('addresses on the command line', () => {
  let directory: string;
  let devnode: DevnodeProcess;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cscws-addresses-'));
    devnode = await startDevnodeProcess(['--port', '0', '--block-interval', '0.2', '--max-addresses', '10000']);
    await devnode.waitForStderr(/devnode: auth:/);
  });

  after(() => {
    devnode.kill();
  });

  test('documentation example is rejected', async () => {
    const result = await runCli(['subscribe', 'address-transactions', '-a', DOC_EXAMPLE, '--url', devnode.url]);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid address "csc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh" \(--address\): bad checksum, probably a typo/);
    assert.match(result.stderr, /--no-address-check sends them unchecked/);
    assert.doesNotMatch(devnode.stderr(), /csc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh/, 'nothing was sent');
  });

  test('no-address-check sends it unchecked', async () => {
    const result = await runCli(['subscribe', 'address-transactions', '-a', DOC_EXAMPLE, '--no-address-check', '--url', devnode.url, '--timeout', '1']);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
  });

  test('file errors name the line', async () => {
    const file = join(directory, 'bad.txt');
    await writeFile(file, `# payments\n${segwit(0, P20)}\n\n${withTypo(segwit(0, P32), 20)}  # typo\nbc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4\n`);

    const result = await runCli(['subscribe', 'address-transactions', '--addresses-file', file, '--url', devnode.url]);

    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`bad\\.txt line 4\\): bad checksum, probably a typo`));
    assert.match(result.stderr, /Also invalid address "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" \(.*bad\.txt line 5\): wrong prefix/);
  });

  test('missing file is a usage error', async () => {
    const result = await runCli(['subscribe', 'address-transactions', '--addresses-file', join(directory, 'none.txt'), '--url', devnode.url]);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read --addresses-file ".*none\.txt" \(ENOENT\)/);
  });

  test('stdin addresses, upper case', async () => {
    const busiest = /devnode: {3}(csc1\S+)/.exec(devnode.stderr())?.[1] ?? '';
    const cli = startCli(['subscribe', 'address-transactions', '--addresses-file', '-', '--url', devnode.url, '--count', '1', '--timeout', '30']);
    cli.child.stdin.end(`${busiest.toUpperCase()}\n${busiest}\n`);

    const result = await cli.result;

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`"address":"${busiest}"`));
  });

  test('ten thousand addresses from a file', async () => {
    const busiest = [...devnode.stderr().matchAll(/devnode: {3}(csc1\S+)/g)].map((match) => match[1] ?? '');
    const generated = Array.from({ length: 10_000 - busiest.length }, (_, i) => {
      const program = Buffer.alloc(20);
      program.writeUInt32BE(i + 1, 0);
      return segwit(0, program.toString('hex'));
    });
    const file = join(directory, 'ten-thousand.txt');
    // Duplicates and upper case collapse to the 10,000 distinct addresses.
    await writeFile(file, ['# 10,000 addresses', ...generated, ...busiest, ...busiest.map((a) => a.toUpperCase())].join('\n'));

    const result = await runCli(['subscribe', 'address-transactions', '--addresses-file', file, '--url', devnode.url, '--count', '3', '--timeout', '30', '-v']);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(lines(result.stdout).length, 3);
    assert.match(result.stderr, /subscribed to address-transactions for 10000 addresses/);
    assert.doesNotMatch(result.stderr, /rejected/);
  });

  test('split and retry under a server cap', async () => {
    const capped = await startDevnodeProcess(['--port', '0', '--block-interval', '0.2', '--max-addresses', '10000', '--quiet']);
    try {
      // 10,000 addresses in one request are over no cap, so this server is given 12,000 to refuse.
      const addresses = Array.from({ length: 12_000 }, (_, i) => {
        const program = Buffer.alloc(32);
        program.writeUInt32BE(i + 1, 0);
        return segwit(0, program.toString('hex'));
      });
      const file = join(directory, 'twelve-thousand.txt');
      await writeFile(file, addresses.join('\n'));

      const result = await runCli(['subscribe', 'address-transactions', '--addresses-file', file, '--url', capped.url, '--timeout', '20']);

      assert.equal(result.code, 5, result.stderr);
      assert.match(result.stderr, /the server rejected 12000 addresses in one subscribe \(invalid_params: .*\); retrying in batches of 6000/);
      assert.match(result.stderr, /error: the server rejected the subscribe of address-transactions \(invalid_params: Subscribing would watch 10001 addresses/);
    } finally {
      capped.kill();
    }
  });

  test('split until a size limit fits', async () => {
    // A node that takes at most 3,000 addresses per request, but any number per connection.
    const server = await startScriptServer((request, connection) => {
      const addresses = (request.json.params as { addresses?: unknown[] } | undefined)?.addresses ?? [];
      const answer =
        addresses.length > 3000
          ? { status: 'error', error: { code: 'invalid_params', message: 'Too many addresses in one request' } }
          : { status: 'success', channel: request.json.channel, data: {} };
      connection.socket.send(JSON.stringify(answer));
    });
    try {
      const addresses = Array.from({ length: 10_000 }, (_, i) => {
        const program = Buffer.alloc(20);
        program.writeUInt32BE(i + 1, 0);
        return segwit(0, program.toString('hex'));
      });
      const file = join(directory, 'limited.txt');
      await writeFile(file, addresses.join('\n'));

      const result = await runCli(['subscribe', 'address-transactions', '--addresses-file', file, '--url', server.url, '--timeout', '2']);

      assert.equal(result.code, 0, result.stderr);
      const sizes = server.connections[0]?.requests.map((request) => (request.json.params as { addresses: unknown[] }).addresses.length);
      assert.deepEqual(sizes, [10_000, 5000, 2500, 2500, 2500, 2500]);
      const sent = new Set(server.connections[0]?.requests.slice(2).flatMap((request) => (request.json.params as { addresses: string[] }).addresses));
      assert.equal(sent.size, 10_000);
      assert.match(result.stderr, /rejected 10000 addresses in one subscribe \(invalid_params: Too many addresses in one request\); retrying in batches of 5000/);
      assert.match(result.stderr, /for 10000 addresses in 4 requests, after 2 rejected ones were split/);
    } finally {
      await server.close();
    }
  });
});
