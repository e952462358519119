import { compactJson, hasLineBreak } from './json-text.js';
import { scanNotification } from './notification-scan.js';

/** A notification: a frame with `channel` and `data` and no `status`. */
export interface NotificationFrame {
  kind: 'notification';
  channel: string;
  /** The frame as one line of JSON: the received text, compacted only when it held line breaks. */
  line: string;
}

export interface SuccessResponseFrame {
  kind: 'response';
  status: 'success';
  channel: string | undefined;
}

/** An error response; `channel` is absent in the documented shape and present from the devnode. */
export interface ErrorResponseFrame {
  kind: 'response';
  status: 'error';
  channel: string | undefined;
  code: string;
  message: string;
}

/** A frame that is neither a response nor a notification; `reason` describes what is wrong with it. */
export interface BrokenFrame {
  kind: 'broken';
  reason: string;
}

export type ResponseFrame = SuccessResponseFrame | ErrorResponseFrame;
export type Frame = NotificationFrame | ResponseFrame | BrokenFrame;

/**
 * Classifies one text frame. Only the fields that routing needs are read; the notification keeps
 * the received text, so numbers and unknown fields pass through untouched.
 */
export function classifyFrame(text: string): Frame {
  // The fast path accepts only what the JSON.parse path below would classify the same way, and
  // only text without control characters, so the line needs no compacting.
  const scanned = scanNotification(text);
  if (scanned !== undefined) {
    return { kind: 'notification', channel: scanned.channel, line: text };
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'broken', reason: 'not valid JSON' };
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'broken', reason: 'not a JSON object' };
  }
  const frame = value as Record<string, unknown>;

  if ('status' in frame) {
    return classifyResponse(frame);
  }

  if (typeof frame.channel !== 'string') {
    return { kind: 'broken', reason: 'neither `status` nor a string `channel`' };
  }
  if (typeof frame.data !== 'object' || frame.data === null || Array.isArray(frame.data)) {
    return { kind: 'broken', reason: `notification on ${frame.channel} without a \`data\` object` };
  }

  return {
    kind: 'notification',
    channel: frame.channel,
    line: hasLineBreak(text) ? compactJson(text) : text,
  };
}

function classifyResponse(frame: Record<string, unknown>): ResponseFrame | BrokenFrame {
  const channel = typeof frame.channel === 'string' ? frame.channel : undefined;

  if (frame.status === 'success') {
    return { kind: 'response', status: 'success', channel };
  }

  if (frame.status === 'error') {
    const error = typeof frame.error === 'object' && frame.error !== null ? (frame.error as Record<string, unknown>) : {};
    return {
      kind: 'response',
      status: 'error',
      channel,
      code: typeof error.code === 'string' ? error.code : 'unknown_error',
      message: typeof error.message === 'string' ? error.message : '(no message)',
    };
  }

  return { kind: 'broken', reason: `unknown status ${JSON.stringify(frame.status)}` };
}
