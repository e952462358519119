/** Server-to-client WebSocket text frames, pre-encoded and grouped into large writes. */
export interface FrameChunk {
  data: Buffer;
  /** Byte offset in `data` where each frame ends. */
  frameEnds: number[];
  /** Payload bytes (JSON text only, no frame headers) up to and including each frame. */
  payloadEnds: number[];
}

/** Target size of one chunk: large enough that writes cost little per frame, small enough to stay responsive. */
const CHUNK_BYTES = 256 * 1024;

/** Encodes one unmasked, unfragmented text frame (RFC 6455 section 5.2: FIN plus opcode 0x1). */
export function encodeTextFrame(payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0x81, length]);
  } else if (length < 65_536) {
    header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Groups the frames, in order, into chunks of about CHUNK_BYTES; a frame is never split across chunks. */
export function buildFrameChunks(texts: readonly string[]): FrameChunk[] {
  const chunks: FrameChunk[] = [];
  let parts: Buffer[] = [];
  let frameEnds: number[] = [];
  let payloadEnds: number[] = [];
  let size = 0;
  let payload = 0;

  const closeChunk = (): void => {
    chunks.push({ data: Buffer.concat(parts), frameEnds, payloadEnds });
    parts = [];
    frameEnds = [];
    payloadEnds = [];
    size = 0;
    payload = 0;
  };

  for (const text of texts) {
    const body = Buffer.from(text, 'utf8');
    const frame = encodeTextFrame(body);
    parts.push(frame);
    size += frame.length;
    payload += body.length;
    frameEnds.push(size);
    payloadEnds.push(payload);
    if (size >= CHUNK_BYTES) {
      closeChunk();
    }
  }
  if (parts.length > 0) {
    closeChunk();
  }
  return chunks;
}

/**
 * Walks the chunks cyclically and returns the next slice of at most `maxFrames` frames, so that a
 * stream of any length can be cut at an exact frame count.
 */
export class FrameCursor {
  private chunkIndex = 0;
  private frameIndex = 0;

  constructor(private readonly chunks: readonly FrameChunk[]) {
    if (chunks.length === 0) {
      throw new Error('FrameCursor needs at least one chunk of frames');
    }
  }

  next(maxFrames: number): { data: Buffer; frames: number; payloadBytes: number } {
    const chunk = this.chunks[this.chunkIndex] as FrameChunk;
    const available = chunk.frameEnds.length - this.frameIndex;
    const frames = Math.min(available, maxFrames);
    const first = this.frameIndex;
    const last = first + frames - 1;

    const byteStart = first === 0 ? 0 : (chunk.frameEnds[first - 1] as number);
    const payloadStart = first === 0 ? 0 : (chunk.payloadEnds[first - 1] as number);
    const data = chunk.data.subarray(byteStart, chunk.frameEnds[last]);
    const payloadBytes = (chunk.payloadEnds[last] as number) - payloadStart;

    this.frameIndex += frames;
    if (this.frameIndex === chunk.frameEnds.length) {
      this.frameIndex = 0;
      this.chunkIndex = (this.chunkIndex + 1) % this.chunks.length;
    }
    return { data, frames, payloadBytes };
  }
}
