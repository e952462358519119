import { stringifyLossless, isWireNumber } from '../protocol/json-text.js';
import { ExpressionError, readFieldPath, resolvePath, type FieldPath } from '../stream/field-path.js';
import { sanitizeForTerminal } from './sanitize.js';

type TemplatePart = { kind: 'text'; text: string } | { kind: 'field'; path: FieldPath; offset: number };

/** A parsed --format template: literal text and `{path}` placeholders. */
export interface LineTemplate {
  parts: TemplatePart[];
}

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', '\\': '\\', '{': '{', '}': '}' };

/**
 * Parses a template such as `{data.height}\t{data.hash}`. `\t` and `\n` are tab and newline,
 * `\\`, `\{` and `\}` are the characters themselves. Throws ExpressionError at the offending offset.
 */
export function parseLineTemplate(source: string): LineTemplate {
  const parts: TemplatePart[] = [];
  let text = '';
  let at = 0;

  while (at < source.length) {
    const c = source.charAt(at);
    if (c === '\\') {
      const escaped = ESCAPES[source.charAt(at + 1)];
      if (escaped === undefined) {
        throw new ExpressionError(at, `unknown escape "\\${source.charAt(at + 1)}"; use \\t, \\n, \\\\, \\{ or \\}`);
      }
      text += escaped;
      at += 2;
    } else if (c === '{') {
      if (text !== '') {
        parts.push({ kind: 'text', text });
        text = '';
      }
      const { path, end } = readFieldPath(source, at + 1);
      if (source.charAt(end) !== '}') {
        throw new ExpressionError(end, end === source.length ? 'placeholder opened with { is not closed' : `expected } to close the placeholder, found "${source.charAt(end)}"`);
      }
      parts.push({ kind: 'field', path, offset: at + 1 });
      at = end + 1;
    } else if (c === '}') {
      throw new ExpressionError(at, 'a } without an opening {; write \\} for the character');
    } else {
      text += c;
      at++;
    }
  }
  if (text !== '') {
    parts.push({ kind: 'text', text });
  }
  return { parts };
}

/**
 * Fills the template from a notification parsed with parseLossless. Numbers keep their literal
 * text, several values (from `[]`) are joined with commas, a missing field is empty, and objects
 * are compact JSON. Server strings are sanitised, so they cannot break the line or drive a terminal.
 */
export function renderLineTemplate(template: LineTemplate, notification: unknown): string {
  return template.parts
    .map((part) => (part.kind === 'text' ? part.text : resolvePath(notification, part.path.steps).map(renderValue).join(',')))
    .join('');
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') {
    return sanitizeForTerminal(value);
  }
  if (isWireNumber(value) || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return sanitizeForTerminal(stringifyLossless(value));
}
