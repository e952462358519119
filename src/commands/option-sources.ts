import type { Options } from 'yargs';

/** Origin of an option's effective value, highest precedence first. */
export type OptionSource = 'flag' | 'env' | 'file' | 'default' | 'unset';

/**
 * Decides where each option's value came from, with the precedence yargs applies: a flag on the
 * command line, then the `CSCWS_` environment variable, then the config file, then the default.
 */
export class OptionSources {
  constructor(
    private readonly table: Record<string, Options>,
    private readonly commandLine: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly fileValues: Record<string, unknown>,
    private readonly envPrefix = 'CSCWS',
  ) {}

  sourceOf(name: string): OptionSource {
    if (this.isOnCommandLine(name)) {
      return 'flag';
    }
    if (this.env[this.envName(name)] !== undefined) {
      return 'env';
    }
    if (name in this.fileValues) {
      return 'file';
    }
    return this.table[name]?.default === undefined ? 'unset' : 'default';
  }

  /** Returns the variable that sets `name`: the prefix and the name in upper case with underscores. */
  envName(name: string): string {
    return `${this.envPrefix}_${name.toUpperCase().replaceAll('-', '_')}`;
  }

  /** Returns whether the command line names the option, by long name, camel case or alias, before any `--`. */
  isOnCommandLine(name: string): boolean {
    const option = this.table[name];
    const aliases = option?.alias === undefined ? [] : Array.isArray(option.alias) ? option.alias : [option.alias];
    const longNames = [name, camelCase(name), ...aliases.filter((alias) => alias.length > 1)];
    const shortNames = aliases.filter((alias) => alias.length === 1);

    for (const argument of this.commandLine) {
      if (argument === '--') {
        return false;
      }
      if (argument.startsWith('--')) {
        const flag = argument.slice(2).split('=', 1)[0] ?? '';
        const bare = flag.startsWith('no-') ? flag.slice(3) : flag;
        if (longNames.includes(flag) || longNames.includes(bare)) {
          return true;
        }
      } else if (argument.startsWith('-') && argument.length > 1) {
        // A group of short flags (-vH): yargs reads each letter until one takes a value.
        if (shortNames.some((short) => argument.slice(1).includes(short))) {
          return true;
        }
      }
    }
    return false;
  }
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}
