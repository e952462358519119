import Table from 'cli-table3';

import { colorsFor } from '../output/color-policy.js';
import { sanitizeForTerminal } from '../output/sanitize.js';
import { unitsToCoins } from '../protocol/amounts.js';
import type { AddressTotals, WatchedTransaction } from './watch-tracker.js';

/** The colours of stdout under the --color policy, looked up when drawing so a later setColorMode applies. */
function colors(): ReturnType<typeof colorsFor> {
  return colorsFor('stdout');
}

/** Contents of one frame of the live view. */
export interface WatchViewModel {
  status: string;
  tipHeight: number | undefined;
  elapsedMs: number;
  goal: string | undefined;
  totals: readonly AddressTotals[];
  /** Every tracked transaction in the order first seen. */
  transactions: readonly WatchedTransaction[];
  /** Terminal size; the transaction table is cut to fit the rows. */
  columns: number;
  rows: number;
}

/**
 * Lines of the screen besides the rows of the two tables: the title, each table's three borders
 * and header, the "older" line, and one for the final line break, which would otherwise scroll
 * the title off a full screen.
 */
const FIXED_LINES = 11;

/** Renders the view as text: a status line, a table of addresses and a table of the newest transactions. */
export function renderWatchView(model: WatchViewModel): string {
  const title = `${colors().bold('cscws watch')}  ${model.status}  ${model.tipHeight === undefined ? 'no block yet' : `block ${model.tipHeight}`}  ${Math.floor(model.elapsedMs / 1000)} s`;
  const goal = model.goal === undefined ? '' : `\n${colors().dim(model.goal)}`;

  const addresses = new Table({ head: ['address', 'transactions', 'received', 'sent', 'net change'], style: { head: ['cyan'], compact: true } });
  for (const totals of model.totals) {
    addresses.push([
      shorten(sanitizeForTerminal(totals.address), model.columns - 60),
      String(totals.transactions),
      unitsToCoins(totals.receivedUnits, 8),
      unitsToCoins(totals.sentUnits, 8),
      signed(totals.netUnits),
    ]);
  }

  const room = Math.max(1, model.rows - FIXED_LINES - model.totals.length - (goal === '' ? 0 : 1));
  const newest = model.transactions.slice(-room).reverse();
  const transactions = new Table({ head: ['txid', 'address', 'amount', 'confirmations', 'state'], style: { head: ['cyan'], compact: true } });
  for (const transaction of newest) {
    transactions.push([
      shorten(sanitizeForTerminal(transaction.txid), 20),
      shorten(sanitizeForTerminal(transaction.address), 20),
      signed(transaction.amountUnits),
      String(transaction.confirmations),
      describeState(transaction),
    ]);
  }
  const hidden = model.transactions.length - newest.length;
  const more = hidden > 0 ? colors().dim(`\n${hidden} older transactions not shown`) : '';

  return `${title}${goal}\n${addresses.toString()}\n${transactions.toString()}${more}\n`;
}

function signed(units: bigint): string {
  const text = unitsToCoins(units, 8);
  if (units > 0n) {
    return colors().green(`+${text}`);
  }
  return units < 0n ? colors().red(text) : text;
}

function describeState(transaction: WatchedTransaction): string {
  switch (transaction.state) {
    case 'pending':
      return colors().yellow('in mempool');
    case 'mined':
      return transaction.minedHeight === undefined ? 'mined' : `mined at ${transaction.minedHeight}`;
    case 'evicted':
      return colors().red('evicted, not mined');
  }
}

/** Cuts the middle out of a long identifier, keeping both ends, which is how people compare them. */
function shorten(text: string, width: number): string {
  const target = Math.max(13, width);
  if (text.length <= target) {
    return text;
  }
  const keep = Math.floor((target - 1) / 2);
  return `${text.slice(0, keep)}…${text.slice(text.length - keep)}`;
}
