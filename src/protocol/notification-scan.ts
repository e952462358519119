// A validating scan of one frame's JSON text that finds the fields a notification is routed by,
// without building the object tree that JSON.parse builds. Every notification pays for routing,
// and JSON.parse was the largest cost of a JSON lines run. The scan handles the common case only:
// compact JSON without escapes or control characters. It leaves every other frame to JSON.parse.

/** Nesting deeper than this is left to JSON.parse, so that both paths agree on what is too deep. */
const MAX_DEPTH = 512;

/** Characters the scan does not handle: escapes, and control characters (line breaks of pretty-printed JSON included). */
const LEFT_TO_JSON_PARSE = /[\u0000-\u001f\\]/;

const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

// Each scan function reads one token or value starting at `i` and returns the index after it, or
// -1 when the text is not valid JSON there. charCodeAt past the end returns NaN, which matches
// no character, so no function reads out of bounds.

function skipSpaces(text: string, i: number): number {
  while (text.charCodeAt(i) === SPACE) i++;
  return i;
}

/** Reads a string whose opening quote is at `i`. With escapes excluded, it ends at the next quote. */
function scanString(text: string, i: number): number {
  const end = text.indexOf('"', i + 1);
  return end === -1 ? -1 : end + 1;
}

/** Reads a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
function scanNumber(text: string, i: number): number {
  if (text.charCodeAt(i) === MINUS) i++;
  if (text.charCodeAt(i) === DIGIT_0) {
    i++;
  } else if (isDigit(text.charCodeAt(i))) {
    while (isDigit(text.charCodeAt(i))) i++;
  } else {
    return -1;
  }
  if (text.charCodeAt(i) === DOT) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === PLUS || sign === MINUS) i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

function scanLiteral(text: string, i: number, literal: string): number {
  return text.startsWith(literal, i) ? i + literal.length : -1;
}

/** Reads `"key" :` and the spaces after it, leaving the index at the value. */
function scanKey(text: string, i: number): number {
  if (text.charCodeAt(i) !== QUOTE) return -1;
  i = scanString(text, i);
  if (i === -1) return -1;
  i = skipSpaces(text, i);
  if (text.charCodeAt(i) !== COLON) return -1;
  return skipSpaces(text, i + 1);
}

/** Reads any value at `i`. Containers are walked with an explicit stack, so deep nesting cannot overflow the call stack. */
function scanValue(text: string, i: number): number {
  // One entry per open container: true for an object, false for an array.
  const stack: boolean[] = [];

  for (;;) {
    // A value is expected at i.
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (stack.length >= MAX_DEPTH) return -1;
      const isObject = c === OPEN_BRACE;
      i = skipSpaces(text, i + 1);
      if (text.charCodeAt(i) === (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        i++;
      } else {
        stack.push(isObject);
        if (isObject) {
          i = scanKey(text, i);
          if (i === -1) return -1;
        }
        continue;
      }
    } else if (c === QUOTE) {
      i = scanString(text, i);
    } else if (c === MINUS || isDigit(c)) {
      i = scanNumber(text, i);
    } else if (c === 0x74) {
      i = scanLiteral(text, i, 'true');
    } else if (c === 0x66) {
      i = scanLiteral(text, i, 'false');
    } else if (c === 0x6e) {
      i = scanLiteral(text, i, 'null');
    } else {
      return -1;
    }
    if (i === -1) return -1;

    // After a value: a comma, the end of its container, or the end of the outermost value.
    for (;;) {
      if (stack.length === 0) return i;
      i = skipSpaces(text, i);
      const next = text.charCodeAt(i);
      const inObject = stack[stack.length - 1] as boolean;
      if (next === COMMA) {
        i = skipSpaces(text, i + 1);
        if (inObject) {
          i = scanKey(text, i);
          if (i === -1) return -1;
        }
        break;
      }
      if (next === (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        stack.pop();
        i++;
        continue;
      }
      return -1;
    }
  }
}

function isKey(text: string, start: number, length: number, name: string): boolean {
  return length === name.length && text.startsWith(name, start);
}

/** The routing fields of a notification found by scanNotification. */
export interface ScannedNotification {
  channel: string;
}

/**
 * Returns the channel when `text` is valid JSON containing one object with a string `channel`, an
 * object `data` and no `status`: the same verdict that JSON.parse leads to. Returns undefined in
 * every other case, and also for the frames it leaves to JSON.parse: those with a backslash or a
 * control character anywhere (line breaks included), and those nested deeper than MAX_DEPTH.
 */
export function scanNotification(text: string): ScannedNotification | undefined {
  if (LEFT_TO_JSON_PARSE.test(text)) return undefined;

  let i = skipSpaces(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  i = skipSpaces(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return undefined;

  // As with JSON.parse, a repeated key takes its last value.
  let channel: string | undefined;
  let dataIsObject = false;

  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyStart = i + 1;
    const keyEnd = scanString(text, i);
    if (keyEnd === -1) return undefined;
    const keyLength = keyEnd - 1 - keyStart;
    i = skipSpaces(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return undefined;
    i = skipSpaces(text, i + 1);

    const valueStart = i;
    i = scanValue(text, i);
    if (i === -1) return undefined;

    // Keys are compared in place: slicing out every key cost an allocation per key.
    if (isKey(text, keyStart, keyLength, 'status')) {
      return undefined;
    } else if (isKey(text, keyStart, keyLength, 'channel')) {
      channel = text.charCodeAt(valueStart) === QUOTE ? text.slice(valueStart + 1, i - 1) : undefined;
    } else if (isKey(text, keyStart, keyLength, 'data')) {
      dataIsObject = text.charCodeAt(valueStart) === OPEN_BRACE;
    }

    i = skipSpaces(text, i);
    const next = text.charCodeAt(i);
    if (next === CLOSE_BRACE) break;
    if (next !== COMMA) return undefined;
    i = skipSpaces(text, i + 1);
  }

  if (skipSpaces(text, i + 1) !== text.length) return undefined;
  return channel !== undefined && dataIsObject ? { channel } : undefined;
}
