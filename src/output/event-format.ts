import type { StreamEvent } from '../stream/stream-event.js';

/**
 * Formats a stream event as one JSON line. Field order is fixed (`type` first) and the line has no
 * `channel` or `data`, so `jq 'select(.type == null)'` keeps only the notifications.
 */
export function formatEventJson(event: StreamEvent): string {
  return JSON.stringify(event);
}

/** Formats a stream event as one text line, in the `key=value` style of the notification lines. */
export function formatEventText(event: StreamEvent): string {
  switch (event.type) {
    case 'gap':
      return `gap from=${event.from} to=${event.to} missing=${event.missing} before=${event.before.height} after=${event.after.height}`;
    case 'reorg':
      return `reorg height=${event.height} oldHash=${event.oldHash ?? '?'} newHash=${event.newHash ?? '?'} previousHeight=${event.previousHeight}`;
    case 'reconnected':
      return `reconnected attempts=${event.attempts} downtime=${(event.downtimeMs / 1000).toFixed(1)}s`;
  }
}

/** Describes a stream event for a warning on stderr. */
export function describeEvent(event: StreamEvent): string {
  switch (event.type) {
    case 'gap': {
      const range = event.from === event.to ? `height ${event.from}` : `heights ${event.from} to ${event.to}`;
      const blocks = event.missing === 1 ? '1 block' : `${event.missing} blocks`;
      return `block gap: ${range} missing (${blocks}) between block ${event.before.height} and block ${event.after.height}`;
    }
    case 'reorg': {
      const newBlock = event.newHash === null ? 'a block without a hash' : `block ${event.newHash}`;
      if (event.oldHash !== null && event.oldHash === event.newHash) {
        return `reorg: height went back from ${event.previousHeight} to ${event.height}, to ${newBlock} seen before`;
      }
      const old = event.oldHash === null ? 'a block not seen by this client' : `block ${event.oldHash}`;
      return `reorg at height ${event.height} (after height ${event.previousHeight}): ${old} replaced by ${newBlock}`;
    }
    case 'reconnected':
      return `reconnected after ${event.attempts} attempt${event.attempts === 1 ? '' : 's'}, ${(event.downtimeMs / 1000).toFixed(1)} s without a connection`;
  }
}
