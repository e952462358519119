import { createHash, timingSafeEqual } from 'node:crypto';

import type { ChannelName } from '../protocol/channels.js';

/** Access control: the channels that need `auth` first and the tokens that unlock them. */
export class AccessPolicy {
  private readonly tokenDigests: Buffer[];
  private readonly privateChannels: ReadonlySet<ChannelName>;

  constructor(tokens: readonly string[], privateChannels: readonly ChannelName[]) {
    this.tokenDigests = tokens.map(digest);
    this.privateChannels = new Set(privateChannels);
  }

  /** False when no token is configured: then every `auth` succeeds. */
  get requiresToken(): boolean {
    return this.tokenDigests.length > 0;
  }

  isPrivate(channel: ChannelName): boolean {
    return this.privateChannels.has(channel);
  }

  /**
   * Returns whether the token is one of the configured ones. Comparing fixed-length digests in
   * constant time keeps the response time from revealing how much of a token matched.
   */
  acceptsToken(token: string): boolean {
    if (!this.requiresToken) {
      return true;
    }
    const candidate = digest(token);
    let accepted = false;
    for (const known of this.tokenDigests) {
      accepted = timingSafeEqual(candidate, known) || accepted;
    }
    return accepted;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
