import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { compareDecimals, parseDecimal } from '../src/protocol/decimal.js';
import { parseLossless, stringifyLossless } from '../src/protocol/json-text.js';
import { buildFieldTree, projectFields } from '../src/output/field-projection.js';
import { parseLineTemplate, renderLineTemplate } from '../src/output/line-template.js';
import { ExpressionError, parseFieldPath } from '../src/stream/field-path.js';
import { parseCondition, testCondition } from '../src/stream/where-expression.js';
import { lines, runCli } from './helpers/cli.js';
import { startScriptServer, type RequestScript } from './helpers/script-server.js';

function decimal(text: string) {
  const parsed = parseDecimal(text);
  assert.ok(parsed !== undefined, `${text} parses`);
  return parsed;
}

describe('exact decimals', () => {
  const cases: readonly [string, string, -1 | 0 | 1][] = [
    ['0.1', '0.10', 0],
    ['0.30000000000000004', '0.3', 1],
    ['0.0001', '1e-4', 0],
    ['0.00009999', '0.0001', -1],
    ['100.0', '1E2', 0],
    ['-0.5', '0.0', -1],
    ['-0', '0', 0],
    ['-2', '-10', 1],
    ['812345678901234567890', '812345678901234567891', -1],
    ['812345678901234567890', '8.1234567890123456789e20', 0],
    ['9007199254740993', '9007199254740992', 1],
    ['12345678.90', '12345678.9', 0],
    ['1e999999999999', '1e999999999998', 1],
    ['1e-999999999999', '0', 1],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a} against ${b}`, () => {
      assert.equal(compareDecimals(decimal(a), decimal(b)), expected);
      assert.equal(compareDecimals(decimal(b), decimal(a)), 0 - expected);
    });
  }

  test('non-numbers are rejected', () => {
    for (const text of ['', '.5', '1.', '0x10', 'NaN', '1e', '+1', 'abc']) {
      assert.equal(parseDecimal(text), undefined, text);
    }
  });
});

/** A notification as the node sends it, with literals that JSON.parse would change. */
const TRANSACTION = parseLossless(
  '{"channel":"new-transactions","data":{"txid":"00ab","size":250,"fee":0.0001,"amount":0.3,"big":812345678901234567890,' +
    '"inputs":[{"address":"csc1qin","value":100.0}],"outputs":[{"address":"csc1qa","value":50.0},{"address":"csc1qb","value":49.9999}],' +
    '"flag":true,"none":null,"type":"received"}}',
);

describe('where conditions', () => {
  const cases: readonly [string, boolean][] = [
    ['data.fee >= 0.0001', true],
    ['data.fee > 0.0001', false],
    ['data.fee = 0.00010', true],
    ['data.fee < 1e-3', true],
    ['data.amount > 0.3', false],
    ['data.amount >= 0.3', true],
    ['data.amount = 0.1', false],
    ['data.big > 812345678901234567889', true],
    ['data.big = 812345678901234567890', true],
    ['data.big < 812345678901234567890', false],
    ['data.outputs[].value = 49.9999', true],
    ['data.outputs[].value > 50', false],
    ['data.outputs[1].address = csc1qb', true],
    ['data.outputs[0].address = csc1qb', false],
    ['data.outputs[].address = csc1qb', true],
    ['data.outputs[].address ~ qa', true],
    ['data.inputs[].address ~ /^csc1q(in|out)$/', true],
    ['data.txid ~ /^00/', true],
    ['data.txid = 00ab', true],
    ['data.txid = "00ab"', true],
    ["data.type = 'received'", true],
    ['data.type != sent', true],
    ['data.type != received', false],
    ['data.missing? = 1', false],
    ['data.missing? != 1', false],
    ['data.flag = true', true],
    ['data.none = null', true],
    ['data.size ~ 25', true],
    ['data.fee ~ /0\\.0001$/', true],
    ['channel = new-transactions', true],
    ['data.type = received ', true],
  ];
  for (const [expression, expected] of cases) {
    test(expression, () => {
      assert.equal(testCondition(parseCondition(expression), TRANSACTION), expected);
    });
  }

  const errors: readonly [string, number, RegExp][] = [
    ['data.fee >== 1', 11, /unexpected "=" after the operator >=/],
    ['data.fee', 8, /missing operator/],
    ['data.fee >=', 11, /missing value/],
    ['data..fee > 1', 5, /expected a field name, found "\."/],
    ['data.fee > abc', 11, /> compares numbers/],
    ['data.type = "open', 12, /not closed/],
    ['data.txid ~ /(/', 12, /invalid regular expression/],
    ['data.outputs[x] = 1', 12, /expected \[\] or \[N\]/],
    ['1 = 1', 0, /expected a field name, found "1"/],
  ];
  for (const [expression, offset, message] of errors) {
    test(`error: ${expression}`, () => {
      assert.throws(
        () => parseCondition(expression),
        (error: unknown) => error instanceof ExpressionError && error.offset === offset && message.test(error.message),
      );
    });
  }
});

describe('fields and templates', () => {
  const fieldCases: readonly [string[], string][] = [
    [['channel'], '{"channel":"new-transactions"}'],
    [['data.fee', 'data.big'], '{"data":{"fee":0.0001,"big":812345678901234567890}}'],
    [['data.outputs[].value'], '{"data":{"outputs":[{"value":50.0},{"value":49.9999}]}}'],
    [['data.outputs[].value', 'data.outputs[].address'], '{"data":{"outputs":[{"value":50.0,"address":"csc1qa"},{"value":49.9999,"address":"csc1qb"}]}}'],
    [['data.inputs', 'data.inputs[].value'], '{"data":{"inputs":[{"address":"csc1qin","value":100.0}]}}'],
    [['data.missing', 'channel'], '{"channel":"new-transactions"}'],
  ];
  for (const [fields, expected] of fieldCases) {
    test(`fields ${fields.join(',')}`, () => {
      const tree = buildFieldTree(fields.map(parseFieldPath));
      assert.equal(stringifyLossless(projectFields(TRANSACTION, tree)), expected);
    });
  }

  const templateCases: readonly [string, string][] = [
    ['{data.txid} {data.fee}', '00ab 0.0001'],
    ['{data.big}\\t{data.inputs[].value}', '812345678901234567890\t100.0'],
    ['{data.outputs[].value}', '50.0,49.9999'],
    ['\\{{data.size}\\}\\\\', '{250}\\'],
    ['{data.missing?}|{data.flag}|{data.none}', '|true|null'],
    ['{data.outputs[0]}', '{"address":"csc1qa","value":50.0}'],
    ['line\\nbreak', 'line\nbreak'],
  ];
  for (const [template, expected] of templateCases) {
    test(`template ${template}`, () => {
      assert.equal(renderLineTemplate(parseLineTemplate(template), TRANSACTION), expected);
    });
  }

  test('template strings are sanitised', () => {
    const hostile = parseLossless('{"channel":"mempool","data":{"txid":"a\\u001b[2Jb\\nc"}}');
    assert.equal(renderLineTemplate(parseLineTemplate('{data.txid}'), hostile), 'a\\x1b[2Jb\\x0ac');
  });

  const templateErrors: readonly [string, number, RegExp][] = [
    ['{data.height', 12, /not closed/],
    ['height}', 6, /a } without an opening {/],
    ['\\x', 0, /unknown escape "\\x"/],
    ['{}', 1, /missing field name|expected a field name/],
  ];
  for (const [template, offset, message] of templateErrors) {
    test(`template error: ${template}`, () => {
      assert.throws(
        () => parseLineTemplate(template),
        (error: unknown) => error instanceof ExpressionError && error.offset === offset && message.test(error.message),
      );
    });
  }
});

/** Sends `frames` once the client has subscribed to every channel it asked for. */
function serveFrames(frames: readonly string[], channels: number): RequestScript {
  let answered = 0;
  return (request, connection) => {
    connection.socket.send(JSON.stringify({ status: 'success', channel: request.json.channel, data: {} }));
    answered++;
    if (answered === channels) {
      frames.forEach((frame) => connection.socket.send(frame));
    }
  };
}

const FEES = ['0.00009999', '0.0001', '0.00010000', '0.00010001', '1e-4', '0.3'];
const FEE_FRAMES = FEES.map((fee, i) => `{"channel":"mempool","data":{"action":"added","txid":"t${i}","size":2${i}0,"fee":${fee},"extra":812345678901234567890}}`);

describe('selection on the command line', () => {
  async function run(args: string[], frames: readonly string[] = FEE_FRAMES, channels = 1) {
    const server = await startScriptServer(serveFrames(frames, channels));
    try {
      return await runCli([...args, '--url', server.url, '--timeout', '3']);
    } finally {
      await server.close();
    }
  }

  test('where keeps exact fee matches', async () => {
    const result = await run(['subscribe', 'mempool', '--where', 'data.fee >= 0.0001', '--where', 'data.fee < 0.3']);

    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(lines(result.stdout), FEE_FRAMES.slice(1, 5));
  });

  test('until stops after the match', async () => {
    const result = await run(['subscribe', 'mempool', '--until', 'data.fee > 0.0001']);

    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(lines(result.stdout), FEE_FRAMES.slice(0, 4));
  });

  test('fields keep number text', async () => {
    const result = await run(['subscribe', 'mempool', '--fields', 'data.txid,data.fee', '--fields', 'data.extra?', '--count', '2']);

    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(lines(result.stdout), [
      '{"data":{"txid":"t0","fee":0.00009999,"extra":812345678901234567890}}',
      '{"data":{"txid":"t1","fee":0.0001,"extra":812345678901234567890}}',
    ]);
  });

  test('format writes the template', async () => {
    const result = await run(['subscribe', 'mempool', '--format', '{data.txid}\\t{data.fee}', '--count', '3']);

    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 't0\t0.00009999\nt1\t0.0001\nt2\t0.00010000\n');
  });

  test('envelope wraps the exact line', async () => {
    const result = await run(['subscribe', 'mempool', '--envelope', '--count', '2']);

    assert.equal(result.code, 0, result.stderr);
    const [first = '', second = ''] = lines(result.stdout);
    assert.match(first, /^\{"seq":1,"received":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","notification":/);
    assert.ok(first.endsWith(`"notification":${FEE_FRAMES[0]}}`), first);
    assert.match(second, /^\{"seq":2,/);
    assert.ok(Number.isFinite(Date.parse((JSON.parse(first) as { received: string }).received)));
  });

  test('envelope around fields', async () => {
    const result = await run(['subscribe', 'mempool', '--envelope', '--fields', 'data.fee', '--count', '1']);

    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\{"seq":1,"received":"[^"]+","notification":\{"data":\{"fee":0\.00009999\}\}\}\n$/);
  });

  test('bad expression points at the column', async () => {
    const result = await runCli(['subscribe', 'mempool', '--where', 'data.fee >< 1', '--url', 'ws://127.0.0.1:9']);

    assert.equal(result.code, 2);
    assert.match(result.stderr, /error: invalid --where "data\.fee >< 1" at column 11: unexpected "<" after the operator >/);
    assert.match(result.stderr, /hint: data\.fee >< 1\ncscws: {17}\^\n/);
  });

  test('unknown field and placeholder', async () => {
    const where = await runCli(['subscribe', 'mempool', '--where', 'data.feee > 1', '--url', 'ws://127.0.0.1:9']);
    const format = await runCli(['subscribe', 'new-blocks', '--format', '{data.height} {data.hsh}', '--url', 'ws://127.0.0.1:9']);

    assert.equal(where.code, 2);
    assert.match(where.stderr, /unknown field data\.feee for mempool; did you mean data\.fee\?/);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /unknown placeholder --format "\{data\.height\} \{data\.hsh\}" at column 16: unknown field data\.hsh/);
  });

  test('conflicting shapes are usage errors', async () => {
    const formatAndFields = await runCli(['subscribe', 'mempool', '--format', '{data.txid}', '--fields', 'data.txid']);
    const fieldsAndText = await runCli(['subscribe', 'mempool', '--fields', 'data.txid', '-o', 'text']);
    const index = await runCli(['subscribe', 'new-transactions', '--fields', 'data.outputs[0].value']);

    assert.equal(formatAndFields.code, 2);
    assert.match(formatAndFields.stderr, /--format cannot be combined with --fields/);
    assert.equal(fieldsAndText.code, 2);
    assert.match(fieldsAndText.stderr, /cannot be combined with --output text/);
    assert.equal(index.code, 2);
    assert.match(index.stderr, /Write data\.outputs\[\]\.value\./);
  });
});
