import { ServerRejection } from '../connection/server-rejection.js';
import type { Session } from '../connection/session.js';
import { writeDebug, writeDiagnostic } from '../output/diagnostics.js';
import { subscribeRequest } from '../protocol/requests.js';

/**
 * Subscribes `session` to address-transactions for every address, in as few requests as the
 * server accepts. All go in one request first. When the server rejects a request with `invalid_params`,
 * which is also how it rejects one that is too large, the batch is split in two and each half is sent
 * again, and later batches keep the smaller size. A single address rejected on its own ends the
 * run with that rejection, so a bad address or a full watched set is still reported.
 */
export async function subscribeAddresses(session: Session, addresses: readonly string[]): Promise<void> {
  let batchSize = addresses.length;
  const queue: string[][] = [[...addresses]];
  let accepted = 0;
  let rejected = 0;

  for (let batch = queue.shift(); batch !== undefined; batch = queue.shift()) {
    if (batch.length > batchSize) {
      // The server accepted only smaller batches so far: cut this one to that size first.
      queue.unshift(...chunk(batch, batchSize));
      continue;
    }

    try {
      await session.request(subscribeRequest('address-transactions', batch));
      accepted++;
      writeDebug(`subscribed to address-transactions for ${batch.length} addresses`);
    } catch (error) {
      if (!(error instanceof ServerRejection) || error.code !== 'invalid_params' || batch.length === 1) {
        throw error;
      }
      rejected++;
      const half = Math.ceil(batch.length / 2);
      if (half < batchSize) {
        writeDiagnostic(
          `the server rejected ${batch.length} addresses in one subscribe (${error.code}: ${error.serverMessage}); retrying in batches of ${half}`,
        );
        batchSize = half;
      }
      queue.unshift(batch.slice(0, half), batch.slice(half));
    }
  }

  if (rejected > 0) {
    writeDiagnostic(`subscribed to address-transactions for ${addresses.length} addresses in ${accepted} requests, after ${rejected} rejected ones were split`);
  }
}

function chunk(items: readonly string[], size: number): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}
