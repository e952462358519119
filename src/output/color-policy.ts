import { Chalk, type ChalkInstance } from 'chalk';

export const COLOR_MODES = ['auto', 'always', 'never'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

/** chalk's levels: 0 none, 1 the 16 basic colours, 2 256 colours, 3 true colour. */
export type ColorLevel = 0 | 1 | 2 | 3;

let mode: ColorMode = 'auto';
const instances = new Map<string, ChalkInstance>();

/** Sets the `--color` mode for every later colour decision of this process. */
export function setColorMode(next: ColorMode): void {
  mode = next;
  instances.clear();
}

/**
 * Decides the colour level of one output stream.
 *
 * - `never` gives none, whatever the environment says.
 * - `always` gives colour even into a pipe or file: the level of FORCE_COLOR when it names one,
 *   else what the terminal supports, else the 16 basic colours.
 * - `auto` follows FORCE_COLOR when it is set (`0` or `false` turn colour off), then NO_COLOR
 *   (any non-empty value turns colour off), and otherwise gives colour only to a terminal that is
 *   not `TERM=dumb`. So in `auto`, no escape sequence reaches a pipe or a file unless FORCE_COLOR
 *   asks for it. FORCE_COLOR winning over NO_COLOR is what Node's own `tty.getColorDepth` does.
 */
export function resolveColorLevel(
  colorMode: ColorMode,
  stream: { isTTY?: boolean; getColorDepth?: (env?: object) => number },
  env: NodeJS.ProcessEnv,
): ColorLevel {
  if (colorMode === 'never') {
    return 0;
  }

  const forced = forceColorLevel(env.FORCE_COLOR);
  const terminal = stream.isTTY === true ? terminalLevel(stream, env) : 0;
  if (colorMode === 'always') {
    if (forced !== undefined && forced > 0) {
      return forced;
    }
    return terminal > 0 ? terminal : 1;
  }

  if (forced !== undefined) {
    return forced;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') {
    return 0;
  }
  return terminal;
}

/** The chalk instance for what goes to stdout or stderr, under the current `--color` mode. */
export function colorsFor(streamName: 'stdout' | 'stderr'): ChalkInstance {
  let instance = instances.get(streamName);
  if (instance === undefined) {
    const stream = streamName === 'stdout' ? process.stdout : process.stderr;
    instance = new Chalk({ level: resolveColorLevel(mode, stream, process.env) });
    instances.set(streamName, instance);
  }
  return instance;
}

/** A chalk instance that never adds an escape sequence. */
export const plainColors: ChalkInstance = new Chalk({ level: 0 });

function forceColorLevel(value: string | undefined): ColorLevel | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value === '0' || value === 'false') {
    return 0;
  }
  if (value === '2' || value === '3') {
    return Number(value) as ColorLevel;
  }
  // FORCE_COLOR=1, FORCE_COLOR=true and a bare FORCE_COLOR= all mean the basic colours.
  return 1;
}

function terminalLevel(stream: { getColorDepth?: (env?: object) => number }, env: NodeJS.ProcessEnv): ColorLevel {
  if (env.TERM === 'dumb') {
    return 0;
  }
  // getColorDepth also reads FORCE_COLOR and NO_COLOR, which were handled above, so pass an
  // environment without them: here it should only judge TERM and COLORTERM.
  const { FORCE_COLOR: _force, NO_COLOR: _no, NODE_DISABLE_COLORS: _disable, ...rest } = env;
  const depth = stream.getColorDepth?.(rest) ?? 4;
  if (depth >= 24) {
    return 3;
  }
  if (depth >= 8) {
    return 2;
  }
  return depth >= 4 ? 1 : 0;
}
