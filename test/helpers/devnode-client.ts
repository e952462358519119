import { WebSocket } from 'ws';

/** A parsed response; only used for responses, whose numbers need no exact text. */
export interface ResponseFrame {
  status: 'success' | 'error';
  channel?: string;
  data?: Record<string, unknown>;
  error?: { code: string; message: string };
}

export interface CloseEvent {
  code: number;
  reason: string;
}

/**
 * A test client that keeps every frame as the raw text received, so number literals can be
 * checked byte for byte. Responses are distinguished by their leading `{"status"`, which is how the
 * devnode writes them.
 */
export class DevnodeClient {
  readonly frames: string[] = [];
  readonly closed: Promise<CloseEvent>;
  private readonly responses: ResponseFrame[] = [];
  private readonly listeners = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? '<binary>' : data.toString();
      if (text.startsWith('{"status"')) {
        this.responses.push(JSON.parse(text) as ResponseFrame);
      } else {
        this.frames.push(text);
      }
      this.listeners.forEach((listener) => listener());
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.listeners.forEach((listener) => listener());
      });
    });
  }

  static async connect(url: string): Promise<DevnodeClient> {
    const socket = new WebSocket(url);
    // Attach the message listener before the server can send anything.
    const client = new DevnodeClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('error', () => {});
    return client;
  }

  /** Sends a request (an object, or raw text or bytes) and resolves with the next response. */
  async request(request: object | string | Buffer, timeoutMs = 5000): Promise<ResponseFrame> {
    const before = this.responses.length;
    if (Buffer.isBuffer(request)) {
      this.socket.send(request, { binary: true });
    } else {
      this.socket.send(typeof request === 'string' ? request : JSON.stringify(request));
    }
    await this.until(() => this.responses.length > before, timeoutMs, 'a response');
    return this.responses[before] as ResponseFrame;
  }

  /** Resolves with the index of the first notification at or after `from` that matches. */
  async waitForFrame(predicate: (text: string) => boolean, from = 0, timeoutMs = 10_000): Promise<number> {
    let index = from;
    let found = -1;
    await this.until(
      () => {
        for (; index < this.frames.length; index++) {
          if (predicate(this.frames[index] as string)) {
            found = index;
            return true;
          }
        }
        return false;
      },
      timeoutMs,
      'a matching notification',
    );
    return found;
  }

  /** Resolves once `count` notifications at or after `from` exist. */
  async waitForCount(count: number, from = 0, timeoutMs = 10_000): Promise<void> {
    await this.until(() => this.frames.length - from >= count, timeoutMs, `${count} notifications`);
  }

  frame(index: number): string {
    const text = this.frames[index];
    if (text === undefined) {
      throw new Error(`no notification at index ${index}; ${this.frames.length} received`);
    }
    return text;
  }

  async close(): Promise<CloseEvent> {
    if (this.socket.readyState === WebSocket.OPEN) {
      this.socket.close(1000);
    }
    return this.closed;
  }

  private until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition()) {
          finish();
          resolve();
        } else if (this.socket.readyState === WebSocket.CLOSED) {
          finish();
          reject(new Error(`connection closed while waiting for ${what}`));
        }
      };
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${this.frames.length} notifications received`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }
}

/** Reads a field's raw literal from a notification's text, such as the `831328` of `"height":831328`. */
export function rawField(text: string, field: string): string | undefined {
  const match = new RegExp(`"${field}":("(?:[^"\\\\]|\\\\.)*"|[^,}\\]]+)`).exec(text);
  return match?.[1];
}

export function isChannel(channel: string): (text: string) => boolean {
  const prefix = `{"channel":"${channel}"`;
  return (text) => text.startsWith(prefix);
}
