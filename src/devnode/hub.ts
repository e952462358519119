import { CHANNEL_NAMES, type ChannelName } from '../protocol/channels.js';
import type { DevnodeConnection } from './connection.js';

/**
 * Keeps who listens to what and fans notifications out. It owns the subscription state of every
 * connection (its `channels` and `watchedAddresses`) together with the reverse indexes, so the
 * two never disagree.
 */
export class NotificationHub {
  private readonly subscribers = new Map<ChannelName, Set<DevnodeConnection>>(
    CHANNEL_NAMES.map((channel) => [channel, new Set<DevnodeConnection>()]),
  );
  private readonly watchers = new Map<string, Set<DevnodeConnection>>();

  hasSubscribers(channel: ChannelName): boolean {
    return this.subscribersOf(channel).size > 0;
  }

  /** Subscribes to a channel without addresses; subscribing again changes nothing. */
  subscribe(connection: DevnodeConnection, channel: ChannelName): void {
    this.subscribersOf(channel).add(connection);
    connection.channels.add(channel);
  }

  unsubscribe(connection: DevnodeConnection, channel: ChannelName): void {
    if (channel === 'address-transactions') {
      this.unwatchAddresses(connection, [...connection.watchedAddresses]);
      return;
    }
    this.subscribersOf(channel).delete(connection);
    connection.channels.delete(channel);
  }

  /** Adds addresses to the connection's watched set; addresses already watched are skipped. */
  watchAddresses(connection: DevnodeConnection, addresses: readonly string[]): void {
    for (const address of addresses) {
      if (connection.watchedAddresses.has(address)) {
        continue;
      }
      connection.watchedAddresses.add(address);

      let watching = this.watchers.get(address);
      if (watching === undefined) {
        watching = new Set();
        this.watchers.set(address, watching);
      }
      watching.add(connection);
    }
    this.syncAddressSubscription(connection);
  }

  /** Removes addresses from the watched set; the channel ends when no address is left. */
  unwatchAddresses(connection: DevnodeConnection, addresses: readonly string[]): void {
    for (const address of addresses) {
      if (!connection.watchedAddresses.delete(address)) {
        continue;
      }
      const watching = this.watchers.get(address);
      watching?.delete(connection);
      if (watching?.size === 0) {
        this.watchers.delete(address);
      }
    }
    this.syncAddressSubscription(connection);
  }

  /** Forgets a closed connection everywhere. */
  removeConnection(connection: DevnodeConnection): void {
    for (const channel of CHANNEL_NAMES) {
      this.unsubscribe(connection, channel);
    }
  }

  /** Sends one encoded notification to every subscriber of the channel. */
  publish(channel: ChannelName, frame: Buffer): void {
    for (const connection of this.subscribersOf(channel)) {
      connection.sendNotification(channel, frame);
    }
  }

  /** Returns the connections watching an address, or undefined when none does. */
  watchersOf(address: string): ReadonlySet<DevnodeConnection> | undefined {
    return this.watchers.get(address);
  }

  private syncAddressSubscription(connection: DevnodeConnection): void {
    const subscribed = this.subscribersOf('address-transactions');
    if (connection.watchedAddresses.size > 0) {
      subscribed.add(connection);
      connection.channels.add('address-transactions');
    } else {
      subscribed.delete(connection);
      connection.channels.delete('address-transactions');
    }
  }

  private subscribersOf(channel: ChannelName): Set<DevnodeConnection> {
    const set = this.subscribers.get(channel);
    if (set === undefined) {
      throw new Error(`channel ${channel} has no subscriber set`);
    }
    return set;
  }
}
