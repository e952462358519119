import type { NotificationFrame } from '../protocol/frames.js';
import { parseLossless } from '../protocol/json-text.js';

// Stages and formatters of one notification share one lossless parse; the frame is the key, so the
// entry goes when the frame does.
const cache = new WeakMap<NotificationFrame, unknown>();

/** Returns the notification of `frame` parsed with lossless-json, so numbers keep their literal text. */
export function parsedNotification(frame: NotificationFrame): unknown {
  if (cache.has(frame)) {
    return cache.get(frame);
  }
  const parsed = parseLossless(frame.line);
  cache.set(frame, parsed);
  return parsed;
}
