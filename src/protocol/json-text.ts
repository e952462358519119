import { LosslessNumber, isLosslessNumber, parse, stringify } from 'lossless-json';

/**
 * Parses JSON keeping every number as a LosslessNumber, so its literal text survives a round trip.
 * Throws SyntaxError on invalid JSON.
 */
export function parseLossless(text: string): unknown {
  return parse(text);
}

/** Serialises a value in which numbers may be LosslessNumber; their text is written verbatim. */
export function stringifyLossless(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) {
    throw new TypeError('value has no JSON representation');
  }
  return text;
}

/** Wraps number text, such as `"0.00010000"` or `"812345678901234567890"`, for stringifyLossless. */
export function wireNumber(text: string): LosslessNumber {
  return new LosslessNumber(text);
}

export function isWireNumber(value: unknown): value is LosslessNumber {
  return isLosslessNumber(value);
}

/**
 * Removes the whitespace between JSON tokens, leaving every token, string and number literal as
 * sent. Turns a pretty-printed frame into one line without re-encoding anything. Expects valid JSON.
 */
export function compactJson(text: string): string {
  let out = '';
  let runStart = 0;
  let inString = false;

  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);

    if (inString) {
      if (c === 0x5c) {
        i++; // the escaped character cannot end the string
      } else if (c === 0x22) {
        inString = false;
      }
      continue;
    }

    if (c === 0x22) {
      inString = true;
    } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      out += text.slice(runStart, i);
      runStart = i + 1;
    }
  }

  return out + text.slice(runStart);
}

/** Returns true when the text contains a line break and so cannot be written as one JSON line as is. */
export function hasLineBreak(text: string): boolean {
  return text.includes('\n') || text.includes('\r');
}
