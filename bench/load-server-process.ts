import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

import type { MixName } from './frame-mixes.js';
import type { ServerMessage } from './load-server.js';

const SERVER_SCRIPT = fileURLToPath(new URL('./load-server.js', import.meta.url));

export interface StreamRequest {
  mix: MixName;
  count: number;
  /** Counts at which the server waits until the client has read everything, then reports a milestone. */
  milestones?: number[];
}

/** The load server child process, seen from the harness. */
export class LoadServer {
  private readonly listeners = new Set<(message: ServerMessage) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (message: ServerMessage) => {
      for (const listener of this.listeners) {
        listener(message);
      }
    });
  }

  static async start(): Promise<LoadServer> {
    const child = fork(SERVER_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [message] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(([code]) => {
        throw new Error(`the load server exited with code ${String(code)} before listening`);
      }),
    ])) as [ServerMessage];
    if (message.type !== 'listening') {
      throw new Error(`the load server sent ${message.type} where listening was expected`);
    }
    return new LoadServer(child, message.port);
  }

  url(request: StreamRequest): string {
    const query = new URLSearchParams({ mix: request.mix, count: String(request.count) });
    if (request.milestones !== undefined && request.milestones.length > 0) {
      query.set('milestones', request.milestones.join(','));
    }
    return `ws://127.0.0.1:${this.port}/?${query.toString()}`;
  }

  /** Calls `listener` with every message until the returned function is called. */
  listen(listener: (message: ServerMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  continueStream(): void {
    this.child.send({ type: 'continue' });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) {
      return;
    }
    const exited = once(this.child, 'exit');
    this.child.disconnect();
    await exited;
  }
}
