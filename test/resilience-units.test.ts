import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Backoff } from '../src/connection/backoff.js';
import { classifyFrame, type NotificationFrame } from '../src/protocol/frames.js';
import { BlockSequenceStage } from '../src/stream/block-sequence-stage.js';
import { DEDUPE_MEMORY, DedupeStage } from '../src/stream/dedupe-stage.js';
import type { StreamEvent } from '../src/stream/stream-event.js';

function notification(text: string): NotificationFrame {
  const frame = classifyFrame(text);
  assert.equal(frame.kind, 'notification', text);
  return frame as NotificationFrame;
}

const block = (height: number, hash = `h${height}`): NotificationFrame =>
  notification(`{"channel":"new-blocks","data":{"hash":"${hash}","height":${height}}}`);

describe('backoff', () => {
  test('ceilings double up to the maximum', () => {
    const backoff = new Backoff(500, 30_000);

    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 2000].map((attempt) => backoff.ceiling(attempt)), [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  test('full jitter spans zero to the ceiling', () => {
    assert.equal(new Backoff(500, 30_000, () => 0).delay(3), 0);
    assert.equal(new Backoff(500, 30_000, () => 0.999999).delay(3), 1999.998);
  });

  test('rate limit delay is half the maximum or more', () => {
    assert.equal(new Backoff(500, 30_000, () => 0).slowDownDelay(), 15_000);
    assert.equal(new Backoff(500, 30_000, () => 1).slowDownDelay(), 30_000);
  });
});

describe('dedupe stage', () => {
  test('repeats pass within one connection', () => {
    const dedupe = new DedupeStage();
    dedupe.connectionOpened();

    assert.equal(dedupe.inspect(block(1)), 'deliver');
    assert.equal(dedupe.inspect(block(1)), 'deliver');
  });

  test('repeat after a reconnect is skipped once', () => {
    const dedupe = new DedupeStage();
    dedupe.connectionOpened();
    dedupe.inspect(block(1));
    dedupe.connectionOpened();

    assert.equal(dedupe.inspect(block(1)), 'skip');
    assert.equal(dedupe.inspect(block(1)), 'deliver');
    assert.equal(dedupe.inspect(block(1, 'other')), 'deliver');
    assert.equal(dedupe.skippedCount, 1);
  });

  test('memory keeps the latest notifications only', () => {
    const dedupe = new DedupeStage();
    dedupe.connectionOpened();
    for (let height = 0; height <= DEDUPE_MEMORY; height++) {
      dedupe.inspect(block(height));
    }
    dedupe.connectionOpened();

    assert.equal(dedupe.inspect(block(0)), 'deliver', 'the oldest was forgotten');
    assert.equal(dedupe.inspect(block(DEDUPE_MEMORY)), 'skip', 'the newest is remembered');
  });
});

describe('block sequence stage', () => {
  function inspectAll(frames: NotificationFrame[]): StreamEvent[] {
    const events: StreamEvent[] = [];
    const stage = new BlockSequenceStage((event) => events.push(event));
    for (const frame of frames) {
      assert.equal(stage.inspect(frame), 'deliver');
    }
    return events;
  }

  test('consecutive heights and repeats are quiet', () => {
    assert.deepEqual(inspectAll([block(1), block(2), block(2), block(3)]), []);
  });

  test('skipped heights are a gap', () => {
    assert.deepEqual(inspectAll([block(1), block(5)]), [
      { type: 'gap', from: 2, to: 4, missing: 3, before: { height: 1, hash: 'h1' }, after: { height: 5, hash: 'h5' } },
    ]);
  });

  test('same height with a new hash is a reorg', () => {
    assert.deepEqual(inspectAll([block(7), block(7, 'x')]), [{ type: 'reorg', height: 7, oldHash: 'h7', newHash: 'x', previousHeight: 7 }]);
  });

  test('height going back is a reorg', () => {
    assert.deepEqual(inspectAll([block(7), block(8), block(6)]), [{ type: 'reorg', height: 6, oldHash: null, newHash: 'h6', previousHeight: 8 }]);
  });

  test('missing hash does not count as a reorg', () => {
    const noHash = notification('{"channel":"new-blocks","data":{"height":7}}');

    assert.deepEqual(inspectAll([block(7), noHash, block(8)]), []);
  });

  test('other channels are not inspected', () => {
    const mining = notification('{"channel":"mining-info","data":{"blocks":3}}');

    assert.deepEqual(inspectAll([block(1), mining, block(2)]), []);
  });
});
