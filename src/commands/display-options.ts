import type { Options } from 'yargs';

import { COLOR_MODES } from '../output/color-policy.js';

/** Options of how output looks on a terminal, shared by `subscribe` and `demo`. */
export const displayOptions = {
  color: {
    type: 'string',
    choices: COLOR_MODES,
    default: 'auto',
    // yargs turns `--no-color` into `color: false`: read it as `never`, as most tools do.
    coerce: (value: string | boolean) => (value === false ? 'never' : value),
    describe:
      'auto: colour only on a terminal, following NO_COLOR and FORCE_COLOR; always: colour even into a pipe or file; never (or --no-color): no colour',
  },
} as const satisfies Record<string, Options>;
