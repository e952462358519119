import type { Options } from 'yargs';

/** Filters and output shapes of `cscws subscribe`; spread into its option table. */
export const selectionOptions = {
  where: {
    type: 'string',
    array: true,
    describe: 'Print only notifications for which PATH OP VALUE holds, e.g. "data.fee >= 0.0001"; repeatable, all must hold; OP is = != < <= > >= or ~',
  },
  until: {
    type: 'string',
    array: true,
    describe: 'Stop with exit 0 after printing the first notification for which this condition holds (same form as --where); repeatable, all must hold',
  },
  fields: {
    type: 'string',
    array: true,
    describe: 'Keep only these fields in each JSON line, e.g. channel,data.height,data.outputs[].value; numbers stay exact',
  },
  format: {
    type: 'string',
    describe: 'Print one line a notification from a template such as "{data.height}\\t{data.hash}"; \\t is a tab, \\n a newline',
  },
  envelope: {
    type: 'boolean',
    default: false,
    describe: 'Wrap each JSON line as {"seq":N,"received":ISO-8601 time,"notification":...}',
  },
} as const satisfies Record<string, Options>;
