import { readFile } from 'node:fs/promises';

import type { Options } from 'yargs';

import { usageError } from '../errors.js';
import { checkAddress } from '../protocol/addresses.js';

/** Options for address sources besides --address, and the address check; spread into a command's option table. */
export const addressSourceOptions = {
  'addresses-file': {
    type: 'string',
    describe: 'File of addresses to watch, one a line; # starts a comment; - reads standard input',
  },
  'address-check': {
    type: 'boolean',
    default: true,
    describe: 'Check each address (bech32/bech32m, prefix csc) before connecting; --no-address-check sends them unchecked',
  },
} as const satisfies Record<string, Options>;

/** The value of --address or --addresses-file that means standard input. */
export const STDIN_SOURCE = '-';

/** One address as the user wrote it, with where it was written, for error messages. */
export interface ListedAddress {
  text: string;
  source: string;
}

export interface AddressSourceArguments {
  address?: (string | number)[] | undefined;
  'addresses-file'?: string | undefined;
  'address-check': boolean;
}

/** Options whose value may be `-` for standard input. */
const STDIN_OPTIONS = new Set(['--addresses-file', '--address', '-a']);

/**
 * Returns true when the command line contains a lone `-` that requests addresses on standard input:
 * after --addresses-file or --address, or as a positional (`cscws watch -`). yargs 18 drops a
 * lone `-` instead of passing it on as a value or positional, so the raw arguments are read.
 * A `-` after another option, such as `--format -`, is that option's value.
 */
export function stdinMarkerGiven(argv: readonly string[] = process.argv.slice(2)): boolean {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  return options.some((value, i) => {
    if (value !== STDIN_SOURCE) {
      return false;
    }
    const previous = options[i - 1];
    return previous === undefined || STDIN_OPTIONS.has(previous) || !previous.startsWith('-');
  });
}

/**
 * Gathers the addresses of --address (comma lists), --addresses-file and standard input, in that
 * order. `stdinRequested` is true when stdinMarkerGiven found a lone `-`.
 */
export async function readAddressSources(
  args: AddressSourceArguments,
  stdinRequested = false,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<ListedAddress[]> {
  const listed: ListedAddress[] = [];
  let readsStdin = stdinRequested;

  for (const value of args.address ?? []) {
    for (const piece of String(value).split(',')) {
      const text = piece.trim();
      if (text === STDIN_SOURCE) {
        readsStdin = true;
      } else if (text !== '') {
        listed.push({ text, source: '--address' });
      }
    }
  }

  const file = args['addresses-file'];
  if (file === STDIN_SOURCE) {
    readsStdin = true;
  } else if (file === '' && !stdinRequested) {
    throw usageError('--addresses-file needs a path', 'Give a file of addresses, one a line, or - for standard input.');
  } else if (file !== undefined && file !== '') {
    listed.push(...parseAddressLines(await readAddressFile(file), file));
  }
  if (readsStdin) {
    listed.push(...parseAddressLines(await readStream(stdin), 'standard input'));
  }
  return listed;
}

/** Splits a list into addresses: one a line, `#` to the end of the line is a comment, blank lines skipped. */
export function parseAddressLines(text: string, sourceName: string): ListedAddress[] {
  const listed: ListedAddress[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const hash = line.indexOf('#');
    const content = (hash === -1 ? line : line.slice(0, hash)).trim();
    if (content !== '') {
      listed.push({ text: content, source: `${sourceName} line ${index + 1}` });
    }
  });
  return listed;
}

/**
 * Checks every address unless `check` is false, lower-cases all-upper-case ones and removes
 * duplicates, keeping the first order. Throws a usage error naming each invalid address (up to
 * five) and where it was written.
 */
export function checkAddressList(listed: readonly ListedAddress[], check: boolean): string[] {
  const addresses = new Set<string>();
  const problems: string[] = [];
  let typos = false;

  for (const entry of listed) {
    if (!check) {
      addresses.add(entry.text);
      continue;
    }
    const result = checkAddress(entry.text);
    if (result.valid) {
      addresses.add(result.address);
    } else {
      problems.push(`invalid address "${entry.text}" (${entry.source}): ${result.problem.message}`);
      typos ||= result.problem.kind === 'checksum';
    }
  }

  if (problems.length > 0) {
    // Diagnostics are one line each, so the other problems go into the hint, a few of them named.
    const [first = '', ...rest] = problems;
    const others = rest.length === 0 ? '' : `Also ${rest.slice(0, 3).join('; ')}${rest.length > 3 ? `; and ${rest.length - 3} more invalid addresses` : ''}. `;
    const fix = typos ? 'Compare the address with its source character by character. ' : '';
    throw usageError(
      first,
      `${others}${fix}Addresses are bech32 (csc1q...) or bech32m (csc1p...) with the prefix csc; --no-address-check sends them unchecked.`,
    );
  }
  return [...addresses];
}

async function readAddressFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw usageError(`cannot read --addresses-file "${path}" (${code})`, 'Give a readable file of addresses, one a line, or - for standard input.');
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    text += String(chunk);
  }
  return text;
}
