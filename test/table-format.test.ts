import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { resolveColorLevel } from '../src/output/color-policy.js';
import { sanitizeForTerminal } from '../src/output/sanitize.js';
import { feeRate, formatAge, groupThousands } from '../src/output/table/cell-format.js';
import { LIST_CHANNELS } from '../src/output/table/channel-columns.js';
import { fitColumns, tableWidth } from '../src/output/table/column-fit.js';
import { decimalChange } from '../src/output/table/mining-values.js';
import { RateMeter } from '../src/output/table/rate-meter.js';
import { RecentRows } from '../src/output/table/recent-rows.js';
import { shareRows } from '../src/output/table/screen-layout.js';
import { displayWidth, truncateEnd, truncateMiddle } from '../src/output/table/text-width.js';
import { wireNumber } from '../src/protocol/json-text.js';

describe('table cell formatting', () => {
  test('thousands separators keep every digit', () => {
    assert.equal(groupThousands('1970169'), '1,970,169');
    assert.equal(groupThousands('81725299822043.21842340'), '81,725,299,822,043.21842340');
    assert.equal(groupThousands('812345678901234567890'), '812,345,678,901,234,567,890');
    assert.equal(groupThousands('-1234.5'), '-1,234.5');
    assert.equal(groupThousands('999'), '999');
    assert.equal(groupThousands('1e-8'), '1e-8');
  });

  test('mining change is exact', () => {
    assert.equal(decimalChange(wireNumber('12345678.90'), wireNumber('12345679.05')), '+0.15');
    assert.equal(decimalChange(wireNumber('812345678901234567890'), wireNumber('812345678901234567891')), '+1');
    assert.equal(decimalChange(wireNumber('1000'), wireNumber('0.5')), '-999.5');
    assert.equal(decimalChange(wireNumber('7'), wireNumber('7.000')), '0');
    assert.equal(decimalChange(wireNumber('1e3'), wireNumber('2')), '?');
    assert.equal(decimalChange(undefined, wireNumber('2')), '?');
  });

  test('fee rate in units per byte', () => {
    assert.equal(feeRate(wireNumber('0.00013809'), wireNumber('297')), '46.5');
    assert.equal(feeRate(wireNumber('0.0001'), wireNumber('250')), '40.0');
    assert.equal(feeRate(wireNumber('0.0001'), wireNumber('0')), '?');
    assert.equal(feeRate(wireNumber('-0.0001'), wireNumber('250')), '?');
    assert.equal(feeRate('0.0001', wireNumber('250')), '?');
  });

  test('age in the largest whole unit', () => {
    const now = 1_700_000_000_000;
    assert.equal(formatAge(now / 1000 - 12, now), '12s ago');
    assert.equal(formatAge(now / 1000 - 300, now), '5m ago');
    assert.equal(formatAge(now / 1000 - 3 * 86400, now), '3d ago');
    assert.equal(formatAge(now / 1000 + 5, now), 'in 5s');
  });
});

describe('display width', () => {
  test('CJK and emoji take two columns', () => {
    assert.equal(displayWidth('🚀矿池'), 6);
    assert.equal(displayWidth('abc'), 3);
    assert.equal(displayWidth('\u001b[31mred\u001b[39m'), 3);
  });

  test('cuts never split a wide character', () => {
    assert.equal(truncateEnd('🚀矿池abc', 4), '🚀…');
    assert.equal(displayWidth(truncateEnd('矿池矿池', 5)), 5);
    assert.equal(truncateMiddle('00000000000000000002460ebd4c84e75627a5c4c07e5b1d6b91325c4e4558d6', 15), '0000000…e4558d6');
    const cut = truncateMiddle('矿池矿池矿池矿池', 9);
    assert.ok(displayWidth(cut) <= 9, cut);
  });
});

describe('column fitting', () => {
  const blocks = LIST_CHANNELS['new-blocks'];
  assert.ok(blocks !== undefined);
  const sample: Record<string, string> = {
    height: '831328',
    hash: '00000000000000000002460ebd4c84e75627a5c4c07e5b1d6b91325c4e4558d6',
    age: '12s ago',
    txCount: '1,979',
    size: '1,970,169',
    difficulty: '81,725,299,822,043.21842340',
  };
  const cells = (column: { key: string }): string[] => [sample[column.key] ?? ''];

  test('everything fits on a wide terminal', () => {
    const fitted = fitColumns(blocks.columns, cells, 200);
    assert.equal(fitted.columns.length, blocks.columns.length);
  });

  test('narrow terminal shrinks hashes then drops columns', () => {
    const fitted = fitColumns(blocks.columns, cells, 45);
    assert.ok(tableWidth(fitted.widths) <= 45);
    assert.deepEqual(
      fitted.columns.map((column) => column.key),
      ['height', 'hash', 'age', 'txCount'],
    );
    assert.ok((fitted.widths[1] ?? 0) < 19, `hash shortened to ${fitted.widths[1]}`);
  });

  test('no columns when nothing fits', () => {
    assert.deepEqual(fitColumns(blocks.columns, cells, 4).columns, []);
    assert.equal(fitColumns(blocks.columns, cells, 5).columns.length, 1);
  });
});

describe('terminal safety', () => {
  test('escape sequences show as text', () => {
    assert.equal(sanitizeForTerminal('\u001b[2J'), '\\x1b[2J');
    assert.equal(sanitizeForTerminal('\u001b]52;c;aGk=\u0007'), '\\x1b]52;c;aGk=\\x07');
    assert.equal(sanitizeForTerminal('\u009b2J'), '\\x9b2J');
    assert.equal(sanitizeForTerminal('a\u202eb\u2066c'), 'a\\u202eb\\u2066c');
    assert.equal(sanitizeForTerminal('a\u200bb\u2028c\ufeff'), 'a\\u200bb\\u2028c\\ufeff');
    assert.equal(sanitizeForTerminal('🚀矿池 👨‍👩‍👧'), '🚀矿池 👨‍👩‍👧');
  });
});

describe('colour level', () => {
  const terminal = { isTTY: true, getColorDepth: () => 8 };
  const pipe = { isTTY: false };

  test('auto gives colour to a terminal only', () => {
    assert.equal(resolveColorLevel('auto', terminal, {}), 2);
    assert.equal(resolveColorLevel('auto', pipe, {}), 0);
    assert.equal(resolveColorLevel('auto', terminal, { TERM: 'dumb' }), 0);
  });

  test('environment variables in auto', () => {
    assert.equal(resolveColorLevel('auto', terminal, { NO_COLOR: '1' }), 0);
    assert.equal(resolveColorLevel('auto', terminal, { NO_COLOR: '' }), 2);
    assert.equal(resolveColorLevel('auto', pipe, { FORCE_COLOR: '1' }), 1);
    assert.equal(resolveColorLevel('auto', pipe, { FORCE_COLOR: '3' }), 3);
    assert.equal(resolveColorLevel('auto', terminal, { FORCE_COLOR: '0' }), 0);
    assert.equal(resolveColorLevel('auto', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }), 1);
  });

  test('the flag wins over the environment', () => {
    assert.equal(resolveColorLevel('never', terminal, { FORCE_COLOR: '3' }), 0);
    assert.equal(resolveColorLevel('always', pipe, { NO_COLOR: '1' }), 1);
    assert.equal(resolveColorLevel('always', terminal, {}), 2);
  });
});

describe('bounded state', () => {
  test('recent rows keep only their capacity', () => {
    let parsed = 0;
    const rows = new RecentRows(3, (line) => {
      parsed++;
      return line.toUpperCase();
    });
    for (let i = 0; i < 10_000; i++) {
      rows.push(`row-${i}`);
    }

    assert.equal(rows.size, 3);
    assert.deepEqual(rows.newestFirst(2), ['ROW-9999', 'ROW-9998']);
    assert.equal(parsed, 2, 'only rows drawn are parsed');
    rows.newestFirst(3);
    assert.equal(parsed, 3, 'a row is parsed once');

    rows.setCapacity(1);
    assert.deepEqual(rows.newestFirst(5), ['ROW-9999']);
  });

  test('rate meter averages the last ten seconds', () => {
    const start = 1_000_000;
    const meter = new RateMeter(start);
    for (let i = 0; i < 50; i++) {
      meter.add(start + i * 100);
    }

    assert.equal(meter.total, 50);
    assert.equal(meter.perSecond(start + 4_900), 10);
    assert.equal(meter.perSecond(start + 30_000), 0, 'old seconds drop out');
    assert.equal(meter.total, 50);
  });

  test('rows shared by need', () => {
    assert.deepEqual(shareRows([2, 500, 500], 20), [2, 9, 9]);
    assert.deepEqual(shareRows([0, 0], 10), [1, 1]);
    assert.deepEqual(shareRows([100], 5), [5]);
    assert.deepEqual(shareRows([3, 3], 3), [2, 1]);
    assert.deepEqual(shareRows([3, 3], 1), [1, 1], 'each panel keeps one row');
  });
});
