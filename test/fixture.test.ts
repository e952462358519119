import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';

import { bech32, bech32m } from 'bech32';

import {
  DEFAULT_FIXTURE_PATH,
  loadReplayFixture,
  type FixtureTransaction,
  type ReplayFixture,
} from '../src/devnode/fixture.js';

const runFile = promisify(execFile);

// This file compiles to dist/test/, so the repository root is two levels up.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const deriveScript = fileURLToPath(new URL('../scripts/derive-fixture.js', import.meta.url));
const rawDir = join(repoRoot, '..', 'shared', 'data', 'raw');

/** zlib build (process.versions.zlib) that compressed the shipped fixture. Other builds may emit other deflate bytes. */
const SHIPPED_ZLIB_VERSION = '1.3.1-e00f703';

// Transaction counts and sizes as published with the raw blocks. Hashes, times and weights were
// computed from the raw bytes by a separate decoder written with Python's standard library.
const EXPECTED_BLOCKS = [
  { height: 831328, txCount: 1979, size: 1970169, weight: 3993027, time: 1708475256, hash: '00000000000000000002460ebd4c84e75627a5c4c07e5b1d6b91325c4e4558d6' },
  { height: 831329, txCount: 2544, size: 1565983, weight: 3992713, time: 1708476268, hash: '000000000000000000018f3b60378b18af0b8f1f411d1e60334f15315d0a9e82' },
  { height: 831330, txCount: 3166, size: 1603620, weight: 3993672, time: 1708477824, hash: '00000000000000000002d9c3b1bad7fc1e6e8464ec9931dbfecb833c8c181187' },
  { height: 831331, txCount: 3029, size: 1774045, weight: 3997864, time: 1708478166, hash: '0000000000000000000099668afa68d3db839ac2df68dcfe8c82511d2ce182f1' },
  { height: 831332, txCount: 2355, size: 1987121, weight: 3992822, time: 1708478622, hash: '00000000000000000000a4c01889bd8c5aeb480a3ab3a2174efa8ba2520a7657' },
  { height: 831333, txCount: 3360, size: 2181526, weight: 3992962, time: 1708478962, hash: '00000000000000000001c3c0b4492821ed225801b2684b3a817d614b9c637185' },
  { height: 831334, txCount: 3123, size: 1591252, weight: 3992983, time: 1708480005, hash: '0000000000000000000266f9ac50206accde4e3274941088c2d6994f8ec56a32' },
  { height: 831335, txCount: 3348, size: 1667855, weight: 3993299, time: 1708480848, hash: '000000000000000000009f22d202f75d10b4f6bfb90aa7373761fc75b99e29f9' },
];

/** Previous-block hash in the header of block 831328, that is the hash of block 831327. */
const BLOCK_831327_HASH = '000000000000000000034927d1cf6d7f940b35cf922f5a1c91cf7063b4d5a597';

type Entry = [address: string | null, value: number];

interface SpotCheck {
  txid: string;
  feature: string;
  size: number;
  vsize: number;
  fee: number;
  inputs: Entry[];
  outputs: Entry[];
}

// Expected values decoded from the raw blocks by the separate Python decoder: txids from the
// double SHA-256 of the non-witness serialization, values from the output fields, addresses from
// a BIP-173/BIP-350 reference encoder.
const SPOT_CHECKS: SpotCheck[] = [
  {
    txid: '81dc557a37b79c83d96ea34104ddbc3281ae393103dbbaebec9090a6c832e567',
    feature: 'spends a P2PKH output',
    size: 188,
    vsize: 188,
    fee: 7651,
    inputs: [['csc1qull82fszfk5m2vthnf9ejdw53936v4m8m07nag', 172096]],
    outputs: [['csc1q3kgytuqcmq9t2s0d9jv0jks76lzfs96a0ll53u', 164445]],
  },
  {
    txid: '2ee79cabc1796c153bfee04abc605b2f636bee520195d9255bdeb82127cf7806',
    feature: 'pays a P2SH output',
    size: 192,
    vsize: 111,
    fee: 4778,
    inputs: [['csc1qmugkefzaewy4glny099pls73hajfak3p0ps3ay', 1501025]],
    outputs: [['csc1qxjpwusejm9zh84mlq7ugt62sjaq4zqmth3k4p4', 1496247]],
  },
  {
    txid: '440312fd1577a2b88107b82d867ecf39b0dccfcea74b9ebc2da8f9e9816b8e18',
    feature: 'spends P2TR and pays P2WSH',
    size: 331,
    vsize: 154,
    fee: 6000,
    inputs: [['csc1pcu5gmjq8vczmkd2r09kvefkndar22sjgys38qcsxe48g2fjydpwq0etu5r', 6546]],
    outputs: [['csc1qkflynns9k6f3rx06yqn0lm3vhmzed7365yrdx0nxxcfs5zfjvgcqzhg04d', 546]],
  },
  {
    txid: '126fbf8fb9df1dffe9d29bccf03b7e4a5e442042c2c0ed26aef68dca87bd8ae1',
    feature: 'has an OP_RETURN output',
    size: 244,
    vsize: 163,
    fee: 2800,
    inputs: [['csc1q72r63uvqdw5x2kdy3l4yqm9dclndqjj7l3dr0t', 17135]],
    outputs: [
      [null, 0],
      ['csc1q72r63uvqdw5x2kdy3l4yqm9dclndqjj7l3dr0t', 14335],
    ],
  },
  {
    txid: '05b73317806f626246cd67066edceebb5f32ba58429305426bad574f2fdd22ef',
    feature: 'has bare multisig outputs',
    size: 463,
    vsize: 381,
    fee: 11055,
    inputs: [['csc1qjvl3yphtf0g06nmwztcdh32l2fem2yd9swhy20', 211557]],
    outputs: [
      ['csc1pc90y6hdrdw7692fdml3nh57g40zf09caen689ddgqx2upzx9wduq5rv7e5', 333],
      [null, 801],
      [null, 801],
      ['csc1qjvl3yphtf0g06nmwztcdh32l2fem2yd9swhy20', 198567],
    ],
  },
  {
    txid: 'ea2bbb7c8bd68c473b0dc4e3c7717c785ca270afb120ebf3ab92ca125a24c91e',
    feature: 'spends a block 831328 output',
    size: 222,
    vsize: 141,
    fee: 9870,
    inputs: [['csc1q4yqead3vlfj66djq5jvd8pc6jsvc663fj7py8z', 7414975]],
    outputs: [
      ['csc1qfexvhkg5h7gpt0zdzg2mm6vvgk8sde86dszkks', 1001000],
      ['csc1q4yqead3vlfj66djq5jvd8pc6jsvc663fj7py8z', 6404105],
    ],
  },
];

function allTransactions(fixture: ReplayFixture): FixtureTransaction[] {
  return fixture.blocks.flatMap((block) => block.transactions);
}

function sumValues(entries: [number, number][]): number {
  return entries.reduce((sum, [, value]) => sum + value, 0);
}

describe('shipped replay fixture', () => {
  let fixture: ReplayFixture;

  before(() => {
    fixture = loadReplayFixture();
  });

  it('loads with the documented header fields', () => {
    assert.equal(fixture.format, 1);
    assert.equal(fixture.addressPrefix, 'csc');
    assert.equal(fixture.source, 'Bitcoin mainnet blocks 831328-831335, addresses re-encoded with hrp csc');
  });

  it('holds consecutive heights 831328..831335', () => {
    assert.deepEqual(
      fixture.blocks.map((block) => block.height),
      [831328, 831329, 831330, 831331, 831332, 831333, 831334, 831335],
    );
  });

  it('matches the published block facts', () => {
    for (const [index, expected] of EXPECTED_BLOCKS.entries()) {
      const block = fixture.blocks[index];
      assert.ok(block, `block ${expected.height} is missing`);
      assert.equal(block.hash, expected.hash, `hash of block ${expected.height}`);
      assert.equal(block.txCount, expected.txCount, `txCount of block ${expected.height}`);
      assert.equal(block.size, expected.size, `size of block ${expected.height}`);
      assert.equal(block.weight, expected.weight, `weight of block ${expected.height}`);
      assert.equal(block.time, expected.time, `time of block ${expected.height}`);
    }
  });

  it('starts after block 831327', () => {
    assert.equal(fixture.previousBlockHash, BLOCK_831327_HASH);
  });

  it('carries the period difficulty', () => {
    for (const block of fixture.blocks) {
      assert.equal(block.bits, '170371b1', `bits of block ${block.height}`);
      assert.equal(block.difficulty, '81725299822043.21842340', `difficulty of block ${block.height}`);
    }
  });

  it('computes networkHashPs since period start', () => {
    // floor(floor(2^256 / (target + 1)) * (h - 830592) / (time(h) - 1708008110)), where 1708008110
    // is the time of block 830592; computed with Python integers.
    assert.equal(fixture.blocks[0]?.networkHashPs, '553029362709988317375');
    assert.equal(fixture.blocks[7]?.networkHashPs, '551685171479080006261');
  });

  it('includes the 11,912 fully priced transactions', () => {
    assert.equal(allTransactions(fixture).length, 11912);
  });

  it('keeps fee equal to inputs minus outputs', () => {
    for (const tx of allTransactions(fixture)) {
      assert.equal(sumValues(tx.inputs) - sumValues(tx.outputs), tx.fee, `fee of ${tx.txid}`);
      assert.ok(tx.vsize <= tx.size, `vsize of ${tx.txid} exceeds its size`);
    }
  });

  it('stores only valid csc addresses', () => {
    for (const address of fixture.addresses) {
      const v0 = bech32.decodeUnsafe(address);
      const decoded = v0 ?? bech32m.decode(address);
      assert.equal(decoded.prefix, 'csc', `prefix of ${address}`);
      assert.equal(address, address.toLowerCase(), `${address} is not lower case`);

      const version = decoded.words[0];
      const program = bech32.fromWords(decoded.words.slice(1));
      if (v0 !== undefined) {
        assert.equal(version, 0, `${address} uses bech32 for witness version ${version}`);
        assert.ok(program.length === 20 || program.length === 32, `${address} has a ${program.length}-byte v0 program`);
      } else {
        assert.ok(version !== undefined && version >= 1, `${address} has witness version ${version}`);
        assert.ok(version <= 16, `${address} has witness version ${version}`);
        assert.ok(program.length >= 2, `${address} has a ${program.length}-byte program`);
        assert.ok(program.length <= 40, `${address} has a ${program.length}-byte program`);
      }
    }
  });

  it('uses every address once in the table', () => {
    assert.equal(new Set(fixture.addresses).size, fixture.addresses.length);
    const used = new Set<number>();
    for (const tx of allTransactions(fixture)) {
      for (const [address] of [...tx.inputs, ...tx.outputs]) used.add(address);
    }
    used.delete(-1);
    assert.equal(used.size, fixture.addresses.length);
  });

  for (const check of SPOT_CHECKS) {
    it(`decodes ${check.txid.slice(0, 8)} that ${check.feature}`, () => {
      const tx = allTransactions(fixture).find((candidate) => candidate.txid === check.txid);
      assert.ok(tx, `transaction ${check.txid} is not in the fixture`);
      const named = (entries: [number, number][]): Entry[] =>
        entries.map(([address, value]) => [address === -1 ? null : (fixture.addresses[address] ?? 'out of range'), value]);

      assert.equal(tx.fee, check.fee);
      assert.equal(tx.size, check.size);
      assert.equal(tx.vsize, check.vsize);
      assert.deepEqual(named(tx.inputs), check.inputs);
      assert.deepEqual(named(tx.outputs), check.outputs);
    });
  }
});

describe('loadReplayFixture errors', () => {
  let tempDir: string;

  before(() => {
    tempDir = mkdtempSync(join(tmpdir(), 'cscws-fixture-'));
  });

  after(() => {
    rmSync(tempDir, { recursive: true, force: true });
  });

  it('names a missing file', () => {
    const path = join(tempDir, 'missing.json.gz');
    assert.throws(() => loadReplayFixture(path), (error: Error) => error.message.includes(path));
  });

  it('names an out-of-range address index', () => {
    const fixture = JSON.parse(gunzipSync(readFileSync(DEFAULT_FIXTURE_PATH)).toString('utf8')) as ReplayFixture;
    const tx = fixture.blocks[2]?.transactions[5];
    assert.ok(tx);
    tx.outputs[0] = [fixture.addresses.length, 1];
    const path = join(tempDir, 'bad-index.json.gz');
    writeFileSync(path, gzipSync(JSON.stringify(fixture)));

    assert.throws(
      () => loadReplayFixture(path),
      (error: Error) =>
        error.message.includes(path) && error.message.includes('blocks[2].transactions[5].outputs[0] address index'),
    );
  });

  it('names a height gap', () => {
    const fixture = JSON.parse(gunzipSync(readFileSync(DEFAULT_FIXTURE_PATH)).toString('utf8')) as ReplayFixture;
    fixture.blocks.splice(3, 1);
    const path = join(tempDir, 'gap.json.gz');
    writeFileSync(path, gzipSync(JSON.stringify(fixture)));

    assert.throws(() => loadReplayFixture(path), /blocks\[3\]\.height is 831332, expected 831331/);
  });

  it('rejects data that is not gzip', () => {
    const path = join(tempDir, 'plain.json');
    writeFileSync(path, '{}');
    assert.throws(() => loadReplayFixture(path), /not valid gzip data/);
  });
});

describe('fixture derivation', () => {
  const skip = existsSync(rawDir) ? false : `raw data directory ${rawDir} does not exist`;
  let tempDir: string;
  let derived: Buffer;
  const shipped = readFileSync(DEFAULT_FIXTURE_PATH);

  before(async () => {
    if (skip !== false) return;
    tempDir = mkdtempSync(join(tmpdir(), 'cscws-derive-'));
    const outFile = join(tempDir, 'fixture.json.gz');
    await runFile(process.execPath, [deriveScript, '--raw', rawDir, '--out', outFile]);
    derived = readFileSync(outFile);
  });

  after(() => {
    if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
  });

  it('reproduces the shipped JSON', { skip }, () => {
    assert.ok(gunzipSync(derived).equals(gunzipSync(shipped)), 'derived JSON differs from the shipped fixture');
  });

  const zlibSkip =
    skip !== false
      ? skip
      : process.versions.zlib !== SHIPPED_ZLIB_VERSION
        ? `zlib ${process.versions.zlib} may compress differently from ${SHIPPED_ZLIB_VERSION}, which wrote the shipped file`
        : false;
  it('reproduces the shipped gzip bytes', { skip: zlibSkip }, () => {
    assert.ok(derived.equals(shipped), 'derived gzip bytes differ from the shipped fixture');
  });
});
