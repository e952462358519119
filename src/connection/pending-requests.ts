import type { ResponseFrame } from '../protocol/frames.js';
import type { Request } from '../protocol/requests.js';

export interface PendingRequest {
  request: Request;
  resolve: (response: ResponseFrame) => void;
  reject: (error: Error) => void;
}

/**
 * Requests sent and still without a response, oldest first. The node responds in the order it received the
 * requests, and its documented error response carries no channel, so a response without a channel
 * belongs to the oldest request; one with a channel belongs to the oldest request on that channel.
 */
export class PendingRequests {
  private readonly queue: PendingRequest[] = [];

  get size(): number {
    return this.queue.length;
  }

  add(pending: PendingRequest): void {
    this.queue.push(pending);
  }

  /** Removes and returns the request that `response` belongs to, or undefined when none is waiting. */
  take(response: ResponseFrame): PendingRequest | undefined {
    let index = 0;
    if (response.channel !== undefined) {
      const onChannel = this.queue.findIndex((p) => 'channel' in p.request && p.request.channel === response.channel);
      index = onChannel === -1 ? 0 : onChannel;
    }
    return this.queue.splice(index, 1)[0];
  }

  /** Returns whether a request on `channel` is waiting for its response. */
  hasChannel(channel: string): boolean {
    return this.queue.some((pending) => 'channel' in pending.request && pending.request.channel === channel);
  }

  remove(pending: PendingRequest): void {
    const index = this.queue.indexOf(pending);
    if (index !== -1) {
      this.queue.splice(index, 1);
    }
  }

  /** Rejects every waiting request, for a connection that closed before responding to them. */
  rejectAll(error: Error): void {
    for (const pending of this.queue.splice(0)) {
      pending.reject(error);
    }
  }
}
