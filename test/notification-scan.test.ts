import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { loadReplayFixture } from '../src/devnode/fixture.js';
import { buildMempoolNotification, buildNewTransactionNotification } from '../src/devnode/notification-builders.js';
import { classifyFrame } from '../src/protocol/frames.js';
import { scanNotification } from '../src/protocol/notification-scan.js';

/** Returns the channel that JSON.parse-based routing finds, or undefined when the frame is no notification. */
function channelByJsonParse(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const frame = value as Record<string, unknown>;
  if ('status' in frame || typeof frame.channel !== 'string') return undefined;
  if (typeof frame.data !== 'object' || frame.data === null || Array.isArray(frame.data)) return undefined;
  return frame.channel;
}

/**
 * The scan may leave a frame with escapes or control characters to JSON.parse, but must never
 * accept one that JSON.parse would route differently.
 */
function assertAgrees(text: string): void {
  const scanned = scanNotification(text)?.channel;
  const expected = channelByJsonParse(text);
  if (scanned !== undefined) {
    assert.equal(scanned, expected, `scan accepted ${JSON.stringify(text)}`);
  } else if (expected !== undefined && !/[\u0000-\u001f\\]/.test(text)) {
    assert.fail(`scan rejected a plain notification ${JSON.stringify(text)}`);
  }
}

const CASES = [
  '{"channel":"new-blocks","data":{"height":1}}',
  ' \n{ "channel" : "mempool" , "data" : { "a" : [ 1 , -0.5e+3 , true , false , null , "x\\"y" ] } }\r\n',
  '{"data":{},"channel":"x"}',
  '{"channel":"a","data":{},"channel":"b"}',
  '{"channel":"a","data":{},"channel":1}',
  '{"channel":"a","data":{},"data":[]}',
  '{"channel":"a","data":[],"data":{}}',
  '{"channel":"a","data":{},"status":"success"}',
  '{"status":"error","error":{"code":"x"}}',
  '{"channel":"a"}',
  '{"channel":"a","data":null}',
  '{"channel":"a","data":"{}"}',
  '{"channel":"a","data":{}}x',
  '{"channel":"a","data":{}},',
  '{"channel":"a","data":{},}',
  '{"channel":"a","data":{"k":01}}',
  '{"channel":"a","data":{"k":1.}}',
  '{"channel":"a","data":{"k":.5}}',
  '{"channel":"a","data":{"k":1e}}',
  '{"channel":"a","data":{"k":+1}}',
  '{"channel":"a","data":{"k":-}}',
  '{"channel":"a","data":{"k":tru}}',
  '{"channel":"a","data":{"k":"\\x"}}',
  '{"channel":"a","data":{"k":"\\u12G4"}}',
  '{"channel":"a","data":{"k":"\\u00e9\\n"}}',
  '{"channel":"a","data":{"k":"tab\there"}}',
  '{"channel":"a","data":{"k":"raw\ttab"}}',
  '{"channel":"a","data":{"k":"raw\u0001control"}}',
  '{"channel" :"a" , "data": { "k" : [ 1 , { } , [ ] ] } } ',
  '{"channel":"a","data":{"k":-0.0e-0,"j":1E+2,"l":[true,false,null]}}',
  '{"channel":"a","data":{"k" 1}}',
  '{"channel":"a","data":{"k":1 "j":2}}',
  '{"channel":"a","data":{"k":[1,]}}',
  '{"channel":"a","data":{"k":[1 2]}}',
  '{"channel":"a","data":{"k":{"a":1}]}}',
  '{"ch\\u0061nnel":"a","data":{}}',
  '{"channel":"\\u0061","data":{}}',
  '{"channel":"a","data":{"k":1}',
  '{"channel":"a","data":{"k":"unterminated}}',
  '{"channel":"ü€😀","data":{"big":812345678901234567890,"d":12345678.90}}',
  `{"channel":"deep","data":${'['.repeat(600)}${']'.repeat(600)}}`,
  `{"channel":"deep","data":{"k":${'['.repeat(100)}${']'.repeat(100)}}}`,
  '[]',
  '"text"',
  '',
  '{',
  '{}',
];

describe('notification scan', () => {
  test('agrees with JSON.parse on edge cases', () => {
    for (const text of CASES) {
      assertAgrees(text);
    }
  });

  test('deep nesting left to JSON.parse', () => {
    const deep = `{"channel":"deep","data":{"k":${'['.repeat(600)}${']'.repeat(600)}}}`;
    assert.equal(scanNotification(deep), undefined);
    assert.deepEqual(classifyFrame(deep), { kind: 'notification', channel: 'deep', line: deep });
  });

  test('accepts every fixture frame', () => {
    const fixture = loadReplayFixture();
    const transactions = fixture.blocks.flatMap((block) => block.transactions).slice(0, 2_000);
    for (const transaction of transactions) {
      const frame = buildNewTransactionNotification(transaction, fixture.addresses);
      assert.equal(scanNotification(frame)?.channel, 'new-transactions', frame);
      assert.equal(scanNotification(buildMempoolNotification('added', transaction))?.channel, 'mempool');
    }
  });

  test('agrees with JSON.parse on mutated frames', () => {
    const fixture = loadReplayFixture();
    const transactions = fixture.blocks.flatMap((block) => block.transactions).slice(0, 300);
    const replacements = ['', ' ', '"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', '.', 'e', 'x', '\n', '\u0001'];
    // A fixed linear congruential generator, so that a failure can be reproduced.
    let seed = 12345;
    const random = (limit: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % limit;
    };
    for (const transaction of transactions) {
      const frame = buildNewTransactionNotification(transaction, fixture.addresses);
      for (let round = 0; round < 20; round++) {
        const at = random(frame.length);
        const replacement = replacements[random(replacements.length)] ?? '';
        const cut = random(3);
        assertAgrees(frame.slice(0, at) + replacement + frame.slice(at + cut));
      }
      assertAgrees(frame.slice(0, random(frame.length)));
    }
  });
});
