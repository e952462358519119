// Types and loader for the replay fixture that `cscws devnode` serves: eight consecutive Bitcoin
// mainnet blocks with their fully priced transactions. docs/fixture.md describes how
// scripts/derive-fixture.ts builds the file from the raw blocks and headers.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export interface ReplayFixture {
  format: 1;
  /** One line naming the source data. */
  source: string;
  addressPrefix: 'csc';
  /** Previous-block hash of the first block, in display hex. */
  previousBlockHash: string;
  /** Address table: inputs and outputs refer to its entries by index. */
  addresses: string[];
  /** Blocks in ascending, consecutive height order. */
  blocks: FixtureBlock[];
}

export interface FixtureBlock {
  /** Block hash in display (big-endian) hex, as block explorers show it. */
  hash: string;
  height: number;
  /** Header timestamp in unix seconds. Bitcoin does not require it to increase from block to block. */
  time: number;
  /** Number of transactions in the block, coinbase included, even though `transactions` contains only some. */
  txCount: number;
  /** Serialized block size in bytes, witness data included. */
  size: number;
  /** BIP-141 block weight. */
  weight: number;
  /** Compact target as 8 lowercase hex digits, for example "170371b1". */
  bits: string;
  /** Difficulty as exact decimal text with exactly 8 decimal places. */
  difficulty: string;
  /** Average network hash rate in hashes per second since the start of the difficulty period, as integer text. */
  networkHashPs: string;
  /** Non-coinbase transactions whose inputs all spend outputs created earlier in the fixture's blocks, in block order. */
  transactions: FixtureTransaction[];
}

export interface FixtureTransaction {
  /** Transaction id in display hex. */
  txid: string;
  /** Serialized size in bytes, witness data included. */
  size: number;
  /** Virtual size, ceil(weight / 4). */
  vsize: number;
  /** Fee in satoshis, equal to the input total minus the output total. */
  fee: number;
  /** Spent outputs in input order: address index (-1 when the script has no address) and value in satoshis. */
  inputs: [address: number, value: number][];
  /** Outputs in order: address index (-1 when the script has no address) and value in satoshis. */
  outputs: [address: number, value: number][];
}

/** Absolute path of the fixture shipped in the package's data/ directory. */
export const DEFAULT_FIXTURE_PATH = fileURLToPath(
  new URL('../../../data/replay-mainnet-831328-831335.json.gz', import.meta.url),
);

/**
 * Reads, gunzips, parses and validates a replay fixture. Throws an Error that names the file and
 * the first field that is missing or invalid.
 */
export function loadReplayFixture(path: string = DEFAULT_FIXTURE_PATH): ReplayFixture {
  let compressed: Buffer;
  try {
    compressed = readFileSync(path);
  } catch (error) {
    throw new Error(`Failed to read replay fixture ${path}: ${(error as Error).message}`);
  }

  let json: string;
  try {
    json = gunzipSync(compressed).toString('utf8');
  } catch (error) {
    throw new Error(`Replay fixture ${path} is not valid gzip data: ${(error as Error).message}`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`Replay fixture ${path} is not valid JSON: ${(error as Error).message}`);
  }

  const problem = findShapeProblem(parsed);
  if (problem !== undefined) {
    throw new Error(`Invalid replay fixture ${path}: ${problem}`);
  }
  return parsed as ReplayFixture;
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;
const BITS_PATTERN = /^[0-9a-f]{8}$/;
const DIFFICULTY_PATTERN = /^[0-9]+\.[0-9]{8}$/;
const INTEGER_TEXT_PATTERN = /^[0-9]+$/;

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isMatch(value: unknown, pattern: RegExp): boolean {
  return typeof value === 'string' && pattern.test(value);
}

/** Returns a description of the first shape violation, or undefined when the value is a valid fixture. */
function findShapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'top level is not a JSON object';
  if (value.format !== 1) return `format is ${JSON.stringify(value.format)}, expected 1`;
  if (typeof value.source !== 'string') return 'source is not a string';
  if (value.addressPrefix !== 'csc') return `addressPrefix is ${JSON.stringify(value.addressPrefix)}, expected "csc"`;
  if (!isMatch(value.previousBlockHash, HASH_PATTERN)) return 'previousBlockHash is not 64 lowercase hex digits';

  const addresses = value.addresses;
  if (!Array.isArray(addresses)) return 'addresses is not an array';
  const badAddress = addresses.findIndex((address) => typeof address !== 'string' || address.length === 0);
  if (badAddress !== -1) return `addresses[${badAddress}] is not a non-empty string`;

  const blocks = value.blocks;
  if (!Array.isArray(blocks) || blocks.length === 0) return 'blocks is not a non-empty array';
  for (let index = 0; index < blocks.length; index++) {
    const block: unknown = blocks[index];
    const previous = blocks[index - 1] as FixtureBlock | undefined;
    const problem = findBlockProblem(block, previous, addresses.length);
    if (problem !== undefined) return `blocks[${index}]${problem}`;
  }
  return undefined;
}

function findBlockProblem(block: unknown, previous: FixtureBlock | undefined, addressCount: number): string | undefined {
  if (!isObject(block)) return ' is not an object';
  if (!isMatch(block.hash, HASH_PATTERN)) return '.hash is not 64 lowercase hex digits';
  if (!isCount(block.height)) return '.height is not a non-negative integer';
  if (previous !== undefined && block.height !== previous.height + 1) {
    return `.height is ${block.height}, expected ${previous.height + 1} after the previous block`;
  }
  for (const field of ['time', 'txCount', 'size', 'weight'] as const) {
    if (!isCount(block[field])) return `.${field} is not a non-negative integer`;
  }
  if (!isMatch(block.bits, BITS_PATTERN)) return '.bits is not 8 lowercase hex digits';
  if (!isMatch(block.difficulty, DIFFICULTY_PATTERN)) return '.difficulty is not decimal text with 8 decimal places';
  if (!isMatch(block.networkHashPs, INTEGER_TEXT_PATTERN)) return '.networkHashPs is not integer text';

  const transactions = block.transactions;
  if (!Array.isArray(transactions)) return '.transactions is not an array';
  for (let index = 0; index < transactions.length; index++) {
    const problem = findTransactionProblem(transactions[index], addressCount);
    if (problem !== undefined) return `.transactions[${index}]${problem}`;
  }
  return undefined;
}

function findTransactionProblem(transaction: unknown, addressCount: number): string | undefined {
  if (!isObject(transaction)) return ' is not an object';
  if (!isMatch(transaction.txid, HASH_PATTERN)) return '.txid is not 64 lowercase hex digits';
  for (const field of ['size', 'vsize', 'fee'] as const) {
    if (!isCount(transaction[field])) return `.${field} is not a non-negative integer`;
  }
  for (const field of ['inputs', 'outputs'] as const) {
    const entries = transaction[field];
    if (!Array.isArray(entries)) return `.${field} is not an array`;
    for (let index = 0; index < entries.length; index++) {
      const entry: unknown = entries[index];
      if (!Array.isArray(entry) || entry.length !== 2) return `.${field}[${index}] is not an [address, value] pair`;
      const [address, amount] = entry as unknown[];
      if (!Number.isSafeInteger(address) || (address as number) < -1 || (address as number) >= addressCount) {
        return `.${field}[${index}] address index ${JSON.stringify(address)} is outside -1..${addressCount - 1}`;
      }
      if (!isCount(amount)) return `.${field}[${index}] value is not a non-negative integer`;
    }
  }
  return undefined;
}
