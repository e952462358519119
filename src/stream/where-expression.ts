import { compareDecimals, parseDecimal, type Decimal } from '../protocol/decimal.js';
import { isWireNumber } from '../protocol/json-text.js';
import { ExpressionError, readFieldPath, resolvePath, type FieldPath } from './field-path.js';

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~';

/** The right-hand side of a comparison, as written. */
export type Operand =
  | { kind: 'number'; text: string; decimal: Decimal }
  | { kind: 'string'; text: string }
  | { kind: 'literal'; value: boolean | null }
  | { kind: 'regex'; regex: RegExp };

/** One `PATH OP VALUE` condition, and the 0-based offset of its path for error messages. */
export interface Condition {
  source: string;
  path: FieldPath;
  pathOffset: number;
  operator: ComparisonOperator;
  operand: Operand;
}

// Two-character operators first, so that `<=` is not read as `<` followed by `=`.
const OPERATORS: readonly ComparisonOperator[] = ['!=', '<=', '>=', '=', '<', '>', '~'];

/**
 * Parses `PATH OP VALUE`. VALUE is a JSON number, `true`, `false`, `null`, a string in single or
 * double quotes, `/regex/flags` after `~`, or else the rest of the expression as a string.
 * Throws ExpressionError with the offset of the first problem.
 */
export function parseCondition(source: string): Condition {
  let at = skipSpaces(source, 0);
  const pathOffset = at;
  const { path, end } = readFieldPath(source, at);
  at = skipSpaces(source, end);

  const operator = OPERATORS.find((candidate) => source.startsWith(candidate, at));
  if (operator === undefined) {
    throw new ExpressionError(at, at === source.length ? 'missing operator after the field; use = != < <= > >= or ~' : `expected an operator (= != < <= > >= ~), found "${source.charAt(at)}"`);
  }
  at = skipSpaces(source, at + operator.length);

  const operand = readOperand(source, at, operator);
  if (operand.kind !== 'number' && operator !== '=' && operator !== '!=' && operator !== '~') {
    throw new ExpressionError(at, `${operator} compares numbers; the value here is not a JSON number`);
  }
  return { source, path, pathOffset, operator, operand };
}

function readOperand(source: string, at: number, operator: ComparisonOperator): Operand {
  const rest = source.slice(at).trimEnd();
  if (rest === '') {
    throw new ExpressionError(at, 'missing value after the operator');
  }

  const quote = rest.charAt(0);
  if ('=<>!~'.includes(quote)) {
    throw new ExpressionError(at, `unexpected "${quote}" after the operator ${operator}`);
  }
  if (quote === '"' || quote === "'") {
    return { kind: 'string', text: readQuoted(source, at, quote) };
  }
  if (operator === '~' && quote === '/') {
    return { kind: 'regex', regex: readRegex(source, at) };
  }

  const decimal = parseDecimal(rest);
  if (decimal !== undefined) {
    return { kind: 'number', text: rest, decimal };
  }
  if (rest === 'true' || rest === 'false' || rest === 'null') {
    return { kind: 'literal', value: rest === 'null' ? null : rest === 'true' };
  }
  return { kind: 'string', text: rest };
}

function readQuoted(source: string, start: number, quote: string): string {
  let text = '';
  let at = start + 1;
  while (at < source.length && source.charAt(at) !== quote) {
    if (source.charAt(at) === '\\' && at + 1 < source.length) {
      at++;
    }
    text += source.charAt(at);
    at++;
  }
  if (at >= source.length) {
    throw new ExpressionError(start, `string opened with ${quote} is not closed`);
  }
  const after = skipSpaces(source, at + 1);
  if (after !== source.length) {
    throw new ExpressionError(after, `unexpected "${source.charAt(after)}" after the closing ${quote}`);
  }
  return text;
}

function readRegex(source: string, start: number): RegExp {
  const trimmed = source.trimEnd();
  const close = trimmed.lastIndexOf('/');
  if (close <= start) {
    throw new ExpressionError(start, 'regular expression opened with / is not closed');
  }
  const flags = trimmed.slice(close + 1);
  try {
    return new RegExp(trimmed.slice(start + 1, close), flags);
  } catch (error) {
    throw new ExpressionError(start, `invalid regular expression: ${(error as Error).message}`);
  }
}

function skipSpaces(text: string, at: number): number {
  while (text.charAt(at) === ' ' || text.charAt(at) === '\t') {
    at++;
  }
  return at;
}

/**
 * Evaluates `condition` on a notification parsed with parseLossless. It holds when at least one
 * value at the path satisfies it; a missing field has no values, so nothing holds, not even `!=`.
 */
export function testCondition(condition: Condition, notification: unknown): boolean {
  return resolvePath(notification, condition.path.steps).some((value) => testValue(condition, value));
}

function testValue(condition: Condition, value: unknown): boolean {
  const { operator, operand } = condition;

  if (operator === '~') {
    const text = scalarText(value);
    if (text === undefined) {
      return false;
    }
    if (operand.kind === 'regex') {
      // A /g or /y regex keeps its position between calls; every value starts afresh.
      operand.regex.lastIndex = 0;
      return operand.regex.test(text);
    }
    return text.includes(operandText(operand));
  }

  if (operand.kind === 'number') {
    const decimal = isWireNumber(value) ? parseDecimal(value.toString()) : undefined;
    if (decimal === undefined) {
      // A string field compared with a number-like value, such as `data.txid = 00ab`, compares text.
      return typeof value === 'string' && (operator === '=' || operator === '!=') ? (value === operand.text) === (operator === '=') : false;
    }
    const order = compareDecimals(decimal, operand.decimal);
    switch (operator) {
      case '=':
        return order === 0;
      case '!=':
        return order !== 0;
      case '<':
        return order < 0;
      case '<=':
        return order <= 0;
      case '>':
        return order > 0;
      case '>=':
        return order >= 0;
    }
  }

  const equal = operand.kind === 'literal' ? value === operand.value : typeof value === 'string' && value === operandText(operand);
  if (operator === '=') {
    return equal;
  }
  return operator === '!=' && !equal;
}

function operandText(operand: Operand): string {
  switch (operand.kind) {
    case 'number':
    case 'string':
      return operand.text;
    case 'literal':
      return String(operand.value);
    case 'regex':
      return operand.regex.source;
  }
}

/** Returns the text that `~` searches: strings as they are, numbers as their literal, and true, false or null. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (isWireNumber(value)) {
    return value.toString();
  }
  if (typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return undefined;
}
