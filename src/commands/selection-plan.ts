import { usageError, type CscwsError } from '../errors.js';
import { wrapInEnvelope } from '../output/envelope.js';
import { buildFieldTree, projectFields } from '../output/field-projection.js';
import { parseLineTemplate, renderLineTemplate } from '../output/line-template.js';
import type { ChannelName } from '../protocol/channels.js';
import type { NotificationFrame } from '../protocol/frames.js';
import { stringifyLossless } from '../protocol/json-text.js';
import { checkKnownPath, ExpressionError, parseFieldPath, type FieldPath } from '../stream/field-path.js';
import type { NotificationStage } from '../stream/notification-stage.js';
import { parsedNotification } from '../stream/parsed-notification.js';
import { parseCondition, type Condition } from '../stream/where-expression.js';
import { UntilStage, WhereStage } from '../stream/where-stage.js';

export interface SelectionArguments {
  where?: string[] | undefined;
  until?: string[] | undefined;
  fields?: string[] | undefined;
  format?: string | undefined;
  envelope: boolean;
  output?: string | undefined;
}

/** The filters and the line shape that --where, --until, --fields, --format and --envelope ask for. */
export interface SelectionPlan {
  stages: NotificationStage[];
  /** Replaces the output format's lines when set. */
  lineFormat: ((frame: NotificationFrame) => string) | undefined;
}

const CONDITION_FORM = 'A condition is PATH OP VALUE: PATH such as data.fee or data.outputs[].address, OP one of = != < <= > >= ~, VALUE a number, a quoted string, a word, or /regex/ after ~.';

/** Parses and checks the selection options against the subscribed channels; throws a usage error pointing at the column. */
export function planSelection(args: SelectionArguments, channels: readonly ChannelName[]): SelectionPlan {
  const stages: NotificationStage[] = [];
  const where = (args.where ?? []).map((source) => parseChecked('--where', source, channels));
  const until = (args.until ?? []).map((source) => parseChecked('--until', source, channels));
  if (where.length > 0) {
    stages.push(new WhereStage(where));
  }
  if (until.length > 0) {
    stages.push(new UntilStage(until));
  }

  return { stages, lineFormat: planLineFormat(args, channels) };
}

function planLineFormat(args: SelectionArguments, channels: readonly ChannelName[]): SelectionPlan['lineFormat'] {
  const fieldsGiven = args.fields !== undefined && args.fields.length > 0;

  if (args.format !== undefined) {
    const conflicts = [args.output !== undefined && '--output', fieldsGiven && '--fields', args.envelope && '--envelope'];
    const conflict = conflicts.find((option) => option !== false);
    if (conflict !== undefined) {
      throw usageError(`--format cannot be combined with ${conflict}`, '--format writes its own lines; drop one of the two options.');
    }
    const format = args.format;
    const template = withColumn('--format', format, () => parseLineTemplate(format));
    for (const part of template.parts) {
      if (part.kind === 'field') {
        withColumn('--format', format, () => checkKnownPath(part.path, channels, part.offset), 'unknown placeholder');
      }
    }
    return (frame) => renderLineTemplate(template, parsedNotification(frame));
  }

  if (!fieldsGiven && !args.envelope) {
    return undefined;
  }
  if (args.output === 'text' || args.output === 'table') {
    throw usageError(`${fieldsGiven ? '--fields' : '--envelope'} shapes JSON lines and cannot be combined with --output ${args.output}`, `Drop --output ${args.output}, or use --format for readable lines.`);
  }

  const reduce = fieldsGiven ? planFields(args.fields ?? [], channels) : undefined;
  let sequence = 0;
  return (frame) => {
    const line = reduce === undefined ? frame.line : reduce(frame);
    if (!args.envelope) {
      return line;
    }
    sequence++;
    return wrapInEnvelope(line, sequence, new Date());
  };
}

function planFields(values: readonly string[], channels: readonly ChannelName[]): (frame: NotificationFrame) => string {
  const paths: FieldPath[] = [];
  for (const value of values) {
    for (const piece of value.split(',')) {
      const text = piece.trim();
      if (text === '') {
        continue;
      }
      const path = withColumn('--fields', text, () => parseFieldPath(text));
      if (path.steps.some((step) => step.kind === 'index')) {
        throw usageError(`--fields "${text}" selects one array element; --fields keeps every element`, `Write ${text.replace(/\[\d+\]/g, '[]')}.`);
      }
      withColumn('--fields', text, () => checkKnownPath(path, channels, 0));
      paths.push(path);
    }
  }
  if (paths.length === 0) {
    throw usageError('--fields is empty', 'Name the fields to keep, such as --fields channel,data.height.');
  }

  const tree = buildFieldTree(paths);
  return (frame) => stringifyLossless(projectFields(parsedNotification(frame), tree) ?? {});
}

function parseChecked(option: string, source: string, channels: readonly ChannelName[]): Condition {
  const condition = withColumn(option, source, () => parseCondition(source));
  withColumn(option, source, () => checkKnownPath(condition.path, channels, condition.pathOffset));
  return condition;
}

/** Runs `parse`, turning an ExpressionError into a usage error that shows the text and a caret under the column. */
function withColumn<T>(option: string, source: string, parse: () => T, what = 'invalid'): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ExpressionError)) {
      throw error;
    }
    throw columnError(option, source, error, what);
  }
}

function columnError(option: string, source: string, error: ExpressionError, what: string): CscwsError {
  const column = error.offset + 1;
  const help = option === '--format' ? 'Placeholders are {PATH}, such as {data.height}; \\t is a tab, \\n a newline.' : option === '--fields' ? 'Fields are paths such as data.height or data.outputs[].value, separated by commas.' : CONDITION_FORM;
  return usageError(`${what} ${option} "${source}" at column ${column}: ${error.message}`, `${source}\n${' '.repeat(error.offset)}^\n${help}`);
}
