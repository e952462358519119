import { bech32, bech32m } from 'bech32';

/** Human-readable part of every CSCoin address. */
export const ADDRESS_PREFIX = 'csc';

/** Maximum length of a bech32 string in BIP-173, separator and checksum included. */
const MAX_LENGTH = 90;
const CHECKSUM_LENGTH = 6;
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

export type AddressProblemKind = 'case' | 'length' | 'separator' | 'prefix' | 'character' | 'checksum' | 'variant' | 'version' | 'program';

/** The reason an address is invalid. `message` names the problem in words a user can act on. */
export interface AddressProblem {
  kind: AddressProblemKind;
  message: string;
}

export type AddressCheck = { valid: true; address: string; witnessVersion: number } | { valid: false; problem: AddressProblem };

/**
 * Checks one segwit address by the BIP-173 and BIP-350 rules with the `csc` prefix. An address
 * has at most 90 characters, all in one case. Witness version 0 uses the bech32 checksum and
 * versions 1 to 16 use bech32m. The program has 2 to 40 bytes (20 or 32 for version 0) and at
 * most 4 bits of zero padding. An all-upper-case address is returned in lower case, the canonical form.
 */
export function checkAddress(text: string): AddressCheck {
  const invalid = (kind: AddressProblemKind, message: string): AddressCheck => ({ valid: false, problem: { kind, message } });

  if (text.length > MAX_LENGTH) {
    return invalid('length', `${text.length} characters, over the maximum of ${MAX_LENGTH}`);
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 33 || code > 126) {
      return invalid('character', `invalid character ${describeCharacter(text.charAt(i))} at position ${i + 1}`);
    }
  }
  const lower = text.toLowerCase();
  if (lower !== text && text.toUpperCase() !== text) {
    return invalid('case', 'mixed upper and lower case; an address is all lower case (or all upper case)');
  }

  const separator = lower.lastIndexOf('1');
  if (separator === -1) {
    return invalid('separator', `no separator "1" after the prefix ${ADDRESS_PREFIX}`);
  }
  const prefix = lower.slice(0, separator);
  if (prefix !== ADDRESS_PREFIX) {
    return invalid('prefix', `wrong prefix "${text.slice(0, separator)}", expected "${ADDRESS_PREFIX}"`);
  }
  for (let i = separator + 1; i < lower.length; i++) {
    if (!CHARSET.includes(lower.charAt(i))) {
      return invalid('character', `invalid character ${describeCharacter(text.charAt(i))} at position ${i + 1}`);
    }
  }
  const dataLength = lower.length - separator - 1;
  if (dataLength < CHECKSUM_LENGTH + 1) {
    return invalid('length', `only ${dataLength} characters after the prefix, too short for a witness version and a checksum`);
  }

  return checkWitness(lower);
}

/** Checks checksum, witness version and program of an address whose characters are all valid. */
function checkWitness(address: string): AddressCheck {
  const invalid = (kind: AddressProblemKind, message: string): AddressCheck => ({ valid: false, problem: { kind, message } });

  const asBech32 = bech32.decodeUnsafe(address, MAX_LENGTH);
  const asBech32m = bech32m.decodeUnsafe(address, MAX_LENGTH);
  const decoded = asBech32 ?? asBech32m;
  if (decoded === undefined) {
    return invalid('checksum', 'bad checksum, probably a typo');
  }

  const [version, ...programWords] = decoded.words;
  if (version === undefined || version > 16) {
    return invalid('version', `witness version ${String(version)} is not one of 0 to 16`);
  }
  if (version === 0 && asBech32 === undefined) {
    return invalid('variant', 'witness version 0 with a bech32m checksum; version 0 uses bech32');
  }
  if (version !== 0 && asBech32m === undefined) {
    return invalid('variant', `witness version ${version} with a bech32 checksum; versions 1 to 16 use bech32m`);
  }

  const program = bech32.fromWordsUnsafe(programWords);
  if (program === undefined) {
    return invalid('program', 'invalid padding in the witness program');
  }
  if (program.length < 2 || program.length > 40) {
    return invalid('program', `witness program of ${program.length} bytes, expected 2 to 40`);
  }
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    return invalid('program', `witness version 0 with a program of ${program.length} bytes, expected 20 or 32`);
  }

  return { valid: true, address, witnessVersion: version };
}

function describeCharacter(character: string): string {
  const code = character.charCodeAt(0);
  return code >= 33 && code <= 126 ? `"${character}"` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
