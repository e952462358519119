import { closest as closestByDistance, distance } from 'fastest-levenshtein';

import type { ChannelName } from '../protocol/channels.js';

/** One step of a field path: an object key, every element of an array (`[]`), or one element (`[2]`). */
export type PathStep = { kind: 'key'; name: string } | { kind: 'each' } | { kind: 'index'; index: number };

/** A parsed path such as `data.outputs[].address`; `unchecked` when written with a final `?`. */
export interface FieldPath {
  text: string;
  steps: PathStep[];
  unchecked: boolean;
}

/** A syntax error in a user-written expression, at a 0-based offset into it. */
export class ExpressionError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

const NAME = /[A-Za-z_$][A-Za-z0-9_$-]*/y;
const INDEX = /\[(\d*)\]/y;

/**
 * Reads a field path at `start` of `text` and returns it with the offset after it. A path is
 * names joined by dots, each optionally followed by `[]` or `[N]`, and may end with `?`.
 */
export function readFieldPath(text: string, start: number): { path: FieldPath; end: number } {
  const steps: PathStep[] = [];
  let at = start;

  for (;;) {
    NAME.lastIndex = at;
    const name = NAME.exec(text);
    if (name === null) {
      throw new ExpressionError(at, at === text.length ? 'missing field name' : `expected a field name, found "${text.charAt(at)}"`);
    }
    steps.push({ kind: 'key', name: name[0] });
    at = NAME.lastIndex;

    for (;;) {
      INDEX.lastIndex = at;
      const index = INDEX.exec(text);
      if (index === null) {
        if (text.charAt(at) === '[') {
          throw new ExpressionError(at, 'expected [] or [N] with a whole number N');
        }
        break;
      }
      steps.push(index[1] === '' ? { kind: 'each' } : { kind: 'index', index: Number(index[1]) });
      at = INDEX.lastIndex;
    }

    if (text.charAt(at) !== '.') {
      break;
    }
    at++;
  }

  const unchecked = text.charAt(at) === '?';
  const end = unchecked ? at + 1 : at;
  return { path: { text: text.slice(start, end), steps, unchecked }, end };
}

/** Parses a whole string as one field path. */
export function parseFieldPath(text: string): FieldPath {
  const { path, end } = readFieldPath(text, 0);
  if (end !== text.length) {
    throw new ExpressionError(end, `unexpected "${text.charAt(end)}" after the field path`);
  }
  return path;
}

/** Returns every value at `steps` in `root`. A `[]` step fans out over an array's elements, and a missing field gives none. */
export function resolvePath(root: unknown, steps: readonly PathStep[]): unknown[] {
  let values: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of values) {
      if (step.kind === 'key') {
        if (isRecord(value) && Object.hasOwn(value, step.name)) {
          next.push(value[step.name]);
        }
      } else if (Array.isArray(value)) {
        if (step.kind === 'each') {
          next.push(...(value as unknown[]));
        } else if (step.index < value.length) {
          next.push(value[step.index]);
        }
      }
    }
    values = next;
  }
  return values;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Documented fields of each channel's notification, as paths with `[]` for array elements. */
const DOCUMENTED_FIELDS: Readonly<Record<ChannelName, readonly string[]>> = {
  'new-blocks': ['hash', 'height', 'time', 'txCount', 'size', 'difficulty'],
  'new-transactions': ['txid', 'size', 'fee', 'inputs[].address', 'inputs[].value', 'outputs[].address', 'outputs[].value'],
  'address-transactions': ['txid', 'address', 'type', 'amount', 'confirmations', 'time'],
  mempool: ['action', 'txid', 'size', 'fee'],
  'mining-info': ['blocks', 'currentBlockWeight', 'currentBlockTx', 'difficulty', 'networkHashPs', 'pooledTx'],
};

/** Writes steps in the catalogue's form: `[N]` becomes `[]`. */
function shapeOf(steps: readonly PathStep[]): string {
  return steps.map((step, i) => (step.kind === 'key' ? `${i === 0 ? '' : '.'}${step.name}` : '[]')).join('');
}

/** Returns every path that a notification on `channels` can have, the parents of documented fields included. */
export function knownPaths(channels: readonly ChannelName[]): Set<string> {
  const known = new Set<string>(['channel', 'data']);
  for (const channel of channels) {
    for (const field of DOCUMENTED_FIELDS[channel]) {
      const full = `data.${field}`;
      // Every prefix that ends at a step boundary is a path too: data.inputs, data.inputs[].
      for (let i = 1; i <= full.length; i++) {
        const next = full.charAt(i);
        if (i === full.length || next === '.' || next === '[') {
          known.add(full.slice(0, i));
        }
      }
    }
  }
  return known;
}

/**
 * Throws an ExpressionError at `offset` when `path` names no documented field of `channels`,
 * suggesting the known ones. A path written with a final `?` is not checked, for fields a node
 * sends that the API documentation does not list.
 */
export function checkKnownPath(path: FieldPath, channels: readonly ChannelName[], offset: number): void {
  if (path.unchecked) {
    return;
  }
  const known = knownPaths(channels);
  const shape = shapeOf(path.steps);
  if (known.has(shape)) {
    return;
  }
  const fields = [...known].filter((field) => field.startsWith('data.') && !field.endsWith('[]'));
  const suggestion = closest(shape, ['channel', ...fields]);
  const didYouMean = suggestion === undefined ? '' : `did you mean ${suggestion}? `;
  throw new ExpressionError(
    offset,
    `unknown field ${path.text} for ${channels.join(', ')}; ${didYouMean}Known fields: channel, ${fields.join(', ')}; write ${path.text}? for a field the documentation does not list`,
  );
}

/** Returns the known field closest to a misspelt one, when it is near enough to be a likely typo. */
function closest(shape: string, fields: readonly string[]): string | undefined {
  const candidate = closestByDistance(shape, [...fields]);
  return distance(shape, candidate) <= 2 ? candidate : undefined;
}
