// Derives the devnode replay fixture from raw Bitcoin mainnet data: eight full blocks 831328-831335
// and the headers at the difficulty-retarget boundaries. docs/fixture.md explains every field.
//
// Usage: node dist/scripts/derive-fixture.js [--raw DIR] [--out FILE]
// Relative paths resolve against the repository root, not the working directory.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';

import { bech32, bech32m } from 'bech32';
import { Block, crypto as bitcoinCrypto, script as bitcoinScript, type Transaction } from 'bitcoinjs-lib';

import type { FixtureBlock, FixtureTransaction, ReplayFixture } from '../src/devnode/fixture.js';

const FIRST_HEIGHT = 831328;
const LAST_HEIGHT = 831335;
const ADDRESS_PREFIX = 'csc';

/** First block of the difficulty period that contains the fixture blocks (412 * 2016). */
const PERIOD_START_HEIGHT = 830592;
/** Last block of that period (413 * 2016 - 1). */
const PERIOD_END_HEIGHT = 832607;
const PERIOD_BITS = 0x170371b1;

const BLOCKS_DIR = 'ckb-spv-mainnet/blocks';
const BOUNDARY_HEADERS_FILE = 'ckb-spv-mainnet/headers/headers_mainnet_retarget_boundaries.bin';
const BOUNDARY_HEIGHTS_FILE = 'ckb-spv-mainnet/headers/headers_mainnet_retarget_boundaries.heights.txt';

/** sha256 of every input as published with the raw data. A mismatch means the inputs are not the audited files. */
const INPUT_SHA256: Record<string, string> = {
  [`${BLOCKS_DIR}/0831328.bin`]: '80471993d8a40bc5e1ea4b3c26b8cf975ce35f1c9037e8a29038357929a238db',
  [`${BLOCKS_DIR}/0831329.bin`]: '34c10f5a8f7d51a286be39d1b3c1914363034f8354f69a84c0085d2d0f6f03fa',
  [`${BLOCKS_DIR}/0831330.bin`]: 'a52e913dc9d5a0b5da579bf7a9710d42f914dc55ce8087195f5310178fef3e27',
  [`${BLOCKS_DIR}/0831331.bin`]: 'e2262bc623b6c17dd86afdd56ad6fb4d9ec4dda4bb1bb2ffa51f7e02915f95b8',
  [`${BLOCKS_DIR}/0831332.bin`]: 'f5d5d0d2fa13e3a2a382fcc099ad15d777309207c62f83560733822681e76049',
  [`${BLOCKS_DIR}/0831333.bin`]: '53b3c3a0f9e06ab89b36db38d738af649e775e918c9be083a6bbfc42beafc0bd',
  [`${BLOCKS_DIR}/0831334.bin`]: 'd6ac23cc91938cea6d24ba5f220c61339feef0eae9a9805e59fdae1bcb1f1e82',
  [`${BLOCKS_DIR}/0831335.bin`]: '1299d200783b1aa6d10782a9a71e2bf5cc596c00eafe3d08a368a6319a7a0d56',
  [BOUNDARY_HEADERS_FILE]: '4656f6716d33f198a6868ef85f7310e0c918005c2750e59c3d32b1dfae62ce8d',
  [BOUNDARY_HEIGHTS_FILE]: '216ffbe3ec1f27f1be042b3c7d1c07ee1c4d451220f31f33ca9b4bc7d61dd8c9',
};

/** gzip header byte 9: zlib writes its build's OS code (3 on Unix, 10 on Windows), so it is pinned to Unix. */
const GZIP_OS_UNIX = 3;

const HEADER_BYTES = 80;

interface SpendableOutput {
  address: number;
  value: number;
}

interface DeriveStats {
  inRunInputs: number;
  addressless: number;
}

function main(): void {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const { values } = parseArgs({
    options: {
      raw: { type: 'string', default: '../shared/data/raw' },
      out: { type: 'string', default: 'data/replay-mainnet-831328-831335.json.gz' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'Usage: derive-fixture [--raw DIR] [--out FILE]\n' +
        '  --raw DIR   directory that contains ckb-spv-mainnet/ (default ../shared/data/raw)\n' +
        '  --out FILE  gzipped JSON fixture to write (default data/replay-mainnet-831328-831335.json.gz)\n' +
        'Relative paths resolve against the repository root.\n',
    );
    return;
  }
  const rawDir = resolve(repoRoot, values.raw);
  const outFile = resolve(repoRoot, values.out);

  const inputs = readVerifiedInputs(rawDir);
  const stats: DeriveStats = { inRunInputs: 0, addressless: 0 };
  const fixture = deriveFixture(inputs, stats);
  const gzipped = compressFixture(fixture);

  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, gzipped);

  const included = fixture.blocks.reduce((sum, block) => sum + block.transactions.length, 0);
  process.stdout.write(
    `Wrote ${outFile}: ${gzipped.length} bytes gzipped, ` +
      `${fixture.blocks.length} blocks, ${included} transactions, ${fixture.addresses.length} addresses, ` +
      `${stats.inRunInputs} inputs spending in-run outputs, ${stats.addressless} input or output scripts without an address\n`,
  );
}

/** Reads every input file and checks its sha256 against the published value. */
function readVerifiedInputs(rawDir: string): Map<string, Buffer> {
  if (!existsSync(join(rawDir, BLOCKS_DIR))) {
    throw new Error(`Raw data directory ${rawDir} has no ${BLOCKS_DIR}/ folder. Pass --raw DIR with the directory that contains ckb-spv-mainnet/.`);
  }
  const files = new Map<string, Buffer>();
  for (const [name, expected] of Object.entries(INPUT_SHA256)) {
    const path = join(rawDir, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new Error(`Failed to read raw input ${path}: ${(error as Error).message}`);
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== expected) {
      throw new Error(`sha256 mismatch for ${path}: got ${actual}, expected ${expected}. The raw data has changed.`);
    }
    files.set(name, bytes);
  }
  return files;
}

function requireInput(inputs: Map<string, Buffer>, name: string): Buffer {
  const bytes = inputs.get(name);
  if (bytes === undefined) throw new Error(`Internal error: input ${name} was not read`);
  return bytes;
}

/** Returns the timestamp of the first block of the difficulty period, after checking the period's bits. */
function readPeriodStartTime(inputs: Map<string, Buffer>): number {
  const headers = requireInput(inputs, BOUNDARY_HEADERS_FILE);
  const heights = requireInput(inputs, BOUNDARY_HEIGHTS_FILE)
    .toString('ascii')
    .split('\n')
    .filter((line) => line.length > 0)
    .map(Number);
  if (headers.length !== heights.length * HEADER_BYTES) {
    throw new Error(`${BOUNDARY_HEADERS_FILE} contains ${headers.length} bytes, expected ${heights.length} headers of 80 bytes`);
  }

  const headerAt = (height: number): Block => {
    const index = heights.indexOf(height);
    if (index === -1) throw new Error(`${BOUNDARY_HEIGHTS_FILE} does not list height ${height}`);
    const header = Block.fromBuffer(headers.subarray(index * HEADER_BYTES, (index + 1) * HEADER_BYTES));
    if (!header.checkProofOfWork()) throw new Error(`Boundary header ${height} does not meet its target`);
    return header;
  };

  // Mainnet keeps one target for a whole 2016-block period, so equal bits at both ends of the
  // period mean every block from PERIOD_START_HEIGHT up to the fixture's last block has them too.
  const start = headerAt(PERIOD_START_HEIGHT);
  const end = headerAt(PERIOD_END_HEIGHT);
  for (const [height, header] of [[PERIOD_START_HEIGHT, start], [PERIOD_END_HEIGHT, end]] as const) {
    if (header.bits !== PERIOD_BITS) {
      throw new Error(`Boundary header ${height} has bits ${formatBits(header.bits)}, expected ${formatBits(PERIOD_BITS)}`);
    }
  }
  return start.timestamp;
}

function deriveFixture(inputs: Map<string, Buffer>, stats: DeriveStats): ReplayFixture {
  const periodStartTime = readPeriodStartTime(inputs);
  const addresses: string[] = [];
  const addressIndex = new Map<string, number>();
  // Outputs created so far in the run, keyed by txid, in output order.
  const createdOutputs = new Map<string, (() => SpendableOutput)[]>();
  const blocks: FixtureBlock[] = [];
  let previousBlockHash = '';
  let previousHash: Uint8Array | undefined;

  const indexOf = (script: Uint8Array): number => {
    const address = scriptToAddress(script);
    if (address === undefined) {
      stats.addressless++;
      return -1;
    }
    let index = addressIndex.get(address);
    if (index === undefined) {
      index = addresses.length;
      addresses.push(address);
      addressIndex.set(address, index);
    }
    return index;
  };

  for (let height = FIRST_HEIGHT; height <= LAST_HEIGHT; height++) {
    const name = `${BLOCKS_DIR}/${String(height).padStart(7, '0')}.bin`;
    const raw = requireInput(inputs, name);
    const block = parseBlock(raw, name, height);
    const blockPrevHash = block.prevHash as Uint8Array;
    if (previousHash === undefined) {
      previousBlockHash = toDisplayHex(blockPrevHash);
    } else if (!bytesEqual(blockPrevHash, previousHash)) {
      throw new Error(`${name} does not link to the previous block: its prev-hash is ${toDisplayHex(blockPrevHash)}`);
    }
    previousHash = block.getHash();

    const transactions: FixtureTransaction[] = [];
    for (const tx of block.transactions ?? []) {
      const txid = tx.getId();
      const included = tx.isCoinbase() ? undefined : priceTransaction(tx, createdOutputs, indexOf, stats);
      // Address indexes are assigned on first use by an included transaction, so the outputs of
      // a transaction that is not included are resolved only when something spends them.
      const outputs = tx.outs.map((out) => ({ script: out.script, value: toSatoshis(out.value, txid) }));
      createdOutputs.set(txid, outputs.map((out) => lazyOutput(out.script, out.value, indexOf)));
      if (included !== undefined) transactions.push(included);
    }

    const target = targetFromBits(block.bits);
    blocks.push({
      hash: block.getId(),
      height,
      time: block.timestamp,
      txCount: block.transactions?.length ?? 0,
      size: raw.length,
      weight: block.weight(),
      bits: formatBits(block.bits),
      difficulty: formatDifficulty(target),
      networkHashPs: averageHashRate(target, height, block.timestamp, periodStartTime).toString(),
      transactions,
    });
  }

  return {
    format: 1,
    source: `Bitcoin mainnet blocks ${FIRST_HEIGHT}-${LAST_HEIGHT}, addresses re-encoded with hrp ${ADDRESS_PREFIX}`,
    addressPrefix: ADDRESS_PREFIX,
    previousBlockHash,
    addresses,
    blocks,
  };
}

/** Parses one raw block and checks that it is complete, valid and at the expected height. */
function parseBlock(raw: Buffer, name: string, height: number): Block {
  const block = Block.fromBuffer(raw);
  if (block.byteLength() !== raw.length) {
    throw new Error(`${name} has ${raw.length - block.byteLength()} bytes after the block`);
  }
  if (!block.checkTxRoots()) throw new Error(`${name} has an invalid merkle root or witness commitment`);
  if (!block.checkProofOfWork()) throw new Error(`${name} does not meet its target`);
  if (block.bits !== PERIOD_BITS) {
    throw new Error(`${name} has bits ${formatBits(block.bits)}, expected ${formatBits(PERIOD_BITS)}`);
  }

  // BIP34: the coinbase scriptSig starts with a push of the block height. Only that push is
  // decompiled because the bytes after it are arbitrary miner data.
  const coinbaseScript = block.transactions?.[0]?.ins[0]?.script ?? new Uint8Array();
  const firstPush = bitcoinScript.decompile(coinbaseScript.subarray(0, 1 + (coinbaseScript[0] ?? 0)))?.[0];
  const coinbaseHeight = firstPush instanceof Uint8Array ? bitcoinScript.number.decode(firstPush, 4) : undefined;
  if (coinbaseHeight !== height) {
    throw new Error(`${name} has coinbase height ${String(coinbaseHeight)}, expected ${height}`);
  }
  return block;
}

/**
 * Returns the fixture entry for a transaction when every input spends an output created earlier
 * in the run, or undefined when any spent output lies outside the run.
 */
function priceTransaction(
  tx: Transaction,
  createdOutputs: Map<string, (() => SpendableOutput)[]>,
  indexOf: (script: Uint8Array) => number,
  stats: DeriveStats,
): FixtureTransaction | undefined {
  const spent: (() => SpendableOutput)[] = [];
  for (const input of tx.ins) {
    const prevTxid = toDisplayHex(input.hash);
    const output = createdOutputs.get(prevTxid)?.[input.index];
    if (output !== undefined) {
      stats.inRunInputs++;
      spent.push(output);
    }
  }
  if (spent.length !== tx.ins.length) return undefined;

  const txid = tx.getId();
  const inputs = spent.map((resolveOutput): [number, number] => {
    const output = resolveOutput();
    return [output.address, output.value];
  });
  const outputs = tx.outs.map((out): [number, number] => [indexOf(out.script), toSatoshis(out.value, txid)]);
  const inputTotal = inputs.reduce((sum, [, value]) => sum + value, 0);
  const outputTotal = outputs.reduce((sum, [, value]) => sum + value, 0);
  const fee = inputTotal - outputTotal;
  if (fee < 0 || !Number.isSafeInteger(fee)) {
    throw new Error(`Transaction ${txid} spends ${inputTotal} sat but creates ${outputTotal} sat`);
  }
  return { txid, size: tx.byteLength(), vsize: tx.virtualSize(), fee, inputs, outputs };
}

/** Wraps an output so that its address enters the table only when an included transaction spends it. */
function lazyOutput(
  script: Uint8Array,
  value: number,
  indexOf: (script: Uint8Array) => number,
): () => SpendableOutput {
  let resolved: SpendableOutput | undefined;
  return () => {
    resolved ??= { address: indexOf(script), value };
    return resolved;
  };
}

function toSatoshis(value: bigint, txid: string): number {
  const satoshis = Number(value);
  if (!Number.isSafeInteger(satoshis) || satoshis < 0) {
    throw new Error(`Transaction ${txid} has an output value ${value} outside the safe integer range`);
  }
  return satoshis;
}

/**
 * Re-encodes an output script's hash or witness program as a bech32 (version 0) or bech32m
 * (versions 1-16) address with the "csc" prefix. Returns undefined for scripts without an address:
 * OP_RETURN, bare multisig and other non-standard scripts.
 */
function scriptToAddress(script: Uint8Array): string | undefined {
  const program = scriptToWitnessProgram(script);
  if (program === undefined) return undefined;
  const words = [program.version, ...bech32.toWords(program.data)];
  return program.version === 0 ? bech32.encode(ADDRESS_PREFIX, words) : bech32m.encode(ADDRESS_PREFIX, words);
}

const OP_0 = 0x00;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_DUP = 0x76;
const OP_HASH160 = 0xa9;
const OP_EQUAL = 0x87;
const OP_EQUALVERIFY = 0x88;
const OP_CHECKSIG = 0xac;

/**
 * Maps a standard output script to the witness version and program that the fixture's address
 * encodes. The templates are matched on bytes, as Bitcoin Core's Solver does, because bitcoinjs-lib 7's
 * payments also validate public keys and need an elliptic-curve library for P2TR.
 */
function scriptToWitnessProgram(script: Uint8Array): { version: number; data: Uint8Array } | undefined {
  const length = script.length;

  // P2PKH: OP_DUP OP_HASH160 <20 bytes> OP_EQUALVERIFY OP_CHECKSIG
  if (
    length === 25 &&
    script[0] === OP_DUP &&
    script[1] === OP_HASH160 &&
    script[2] === 20 &&
    script[23] === OP_EQUALVERIFY &&
    script[24] === OP_CHECKSIG
  ) {
    return { version: 0, data: script.subarray(3, 23) };
  }

  // P2SH: OP_HASH160 <20 bytes> OP_EQUAL
  if (length === 23 && script[0] === OP_HASH160 && script[1] === 20 && script[22] === OP_EQUAL) {
    return { version: 0, data: script.subarray(2, 22) };
  }

  // Witness program: OP_0..OP_16 followed by one direct push of 2 to 40 bytes.
  const versionOpcode = script[0];
  if (
    length >= 4 &&
    length <= 42 &&
    versionOpcode !== undefined &&
    (versionOpcode === OP_0 || (versionOpcode >= OP_1 && versionOpcode <= OP_16)) &&
    script[1] === length - 2
  ) {
    const version = versionOpcode === OP_0 ? 0 : versionOpcode - OP_1 + 1;
    const data = script.subarray(2);
    // Version 0 defines only 20-byte (P2WPKH) and 32-byte (P2WSH) programs.
    if (version === 0 && data.length !== 20 && data.length !== 32) return undefined;
    return { version, data };
  }

  // P2PK: <33- or 65-byte public key> OP_CHECKSIG, with the key's first byte matching its length
  // as Bitcoin Core's CPubKey::ValidSize requires.
  if (script[length - 1] === OP_CHECKSIG && script[0] === length - 2) {
    const prefix = script[1];
    const compressed = length === 35 && (prefix === 0x02 || prefix === 0x03);
    const uncompressed = length === 67 && (prefix === 0x04 || prefix === 0x06 || prefix === 0x07);
    if (compressed || uncompressed) {
      return { version: 0, data: bitcoinCrypto.hash160(script.subarray(1, length - 1)) };
    }
  }
  return undefined;
}

/** Expands compact bits into the 256-bit target. */
function targetFromBits(bits: number): bigint {
  const exponent = bits >>> 24;
  const mantissa = BigInt(bits & 0x007fffff);
  if ((bits & 0x00800000) !== 0 || mantissa === 0n) {
    throw new Error(`Bits ${formatBits(bits)} do not encode a positive target`);
  }
  return exponent <= 3 ? mantissa >> BigInt(8 * (3 - exponent)) : mantissa << BigInt(8 * (exponent - 3));
}

/** Difficulty-1 target, 0xffff * 2^208 (compact form 0x1d00ffff). */
const DIFFICULTY_ONE_TARGET = 0xffffn << 208n;
const DIFFICULTY_SCALE = 10n ** 8n;

/** Formats difficulty-1 target / target with exactly 8 decimal places, rounded half up. */
function formatDifficulty(target: bigint): string {
  const scaled = (2n * DIFFICULTY_ONE_TARGET * DIFFICULTY_SCALE + target) / (2n * target);
  const fraction = (scaled % DIFFICULTY_SCALE).toString().padStart(8, '0');
  return `${scaled / DIFFICULTY_SCALE}.${fraction}`;
}

/**
 * Returns the average hash rate in hashes per second from the start of the difficulty period to
 * `height`: expected work per block, floor(2^256 / (target + 1)), times the blocks mined since the
 * period began, divided by the seconds between the two header timestamps.
 */
function averageHashRate(target: bigint, height: number, time: number, periodStartTime: number): bigint {
  const seconds = time - periodStartTime;
  if (seconds <= 0) {
    throw new Error(`Block ${height} has time ${time}, not after the period start time ${periodStartTime}`);
  }
  const workPerBlock = (1n << 256n) / (target + 1n);
  return (workPerBlock * BigInt(height - PERIOD_START_HEIGHT)) / BigInt(seconds);
}

/**
 * Serializes and gzips the fixture. JSON.stringify keeps the key order in which the objects were
 * built and zlib.gzipSync writes mtime 0, so the output depends only on the fixture and the zlib build.
 */
function compressFixture(fixture: ReplayFixture): Buffer {
  const json = Buffer.from(JSON.stringify(fixture), 'utf8');
  const gzipped = gzipSync(json, { level: 9, memLevel: 9, strategy: 0 });
  if (gzipped.readUInt32LE(4) !== 0) throw new Error('zlib wrote a nonzero gzip mtime');
  gzipped[9] = GZIP_OS_UNIX;
  if (!gunzipSync(gzipped).equals(json)) throw new Error('gzip round trip changed the fixture');
  return gzipped;
}

function formatBits(bits: number): string {
  return bits.toString(16).padStart(8, '0');
}

/** Hashes are stored little-endian in the wire format and shown reversed. */
function toDisplayHex(hash: Uint8Array): string {
  return Buffer.from(hash).reverse().toString('hex');
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

try {
  main();
} catch (error) {
  process.stderr.write(`derive-fixture: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
