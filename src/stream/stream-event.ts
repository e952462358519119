/** A block that a stream event refers to. */
export interface BlockRef {
  height: number;
  /** Null when the notification carried no hash. */
  hash: string | null;
}

/**
 * Something cscws noticed about the stream rather than received: missing block heights, a reorg,
 * a reconnect. Warned about on stderr always; written to stdout with `--events`, as a line whose
 * `type` field no notification has.
 */
export type StreamEvent =
  | {
      type: 'gap';
      /** First and last missing height, and how many heights that is. */
      from: number;
      to: number;
      missing: number;
      before: BlockRef;
      after: BlockRef;
    }
  | {
      type: 'reorg';
      height: number;
      /** Hash this client had seen at `height`; null when it never saw that height or forgot it. */
      oldHash: string | null;
      /** Null when the notification carried no hash. */
      newHash: string | null;
      /** Height of the block seen just before this one. */
      previousHeight: number;
    }
  | {
      type: 'reconnected';
      /** Attempts it took, and time from losing the connection to being subscribed again. */
      attempts: number;
      downtimeMs: number;
    };

/** Receives the events that stages and the run notice. */
export type StreamEventListener = (event: StreamEvent) => void;
