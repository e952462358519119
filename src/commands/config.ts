import type { ExitReason } from '../exit-codes.js';
import { sanitizeForTerminal } from '../output/sanitize.js';
import { SECRET_OPTIONS } from './access-options.js';
import { loadClientConfig } from './config-file.js';
import { OptionSources } from './option-sources.js';
import { subscribeOptions } from './subscribe-command.js';

const MASK = '********';

/**
 * Runs `cscws config`: writes one line per option of subscribe to stdout, with its effective value
 * and where it came from. Secrets show as ******** and proxy credentials are removed.
 */
export async function runConfig(argv: Record<string, unknown>): Promise<ExitReason> {
  const file = loadClientConfig(subscribeOptions);
  const sources = new OptionSources(subscribeOptions, process.argv.slice(2), process.env, file.values);

  const rows: [string, string, string][] = [];
  for (const name of Object.keys(subscribeOptions)) {
    const source = sources.sourceOf(name);
    const origin =
      source === 'flag' ? `flag --${name}`
      : source === 'env' ? `env ${sources.envName(name)}`
      : source === 'file' ? `file ${file.path}`
      : source;
    rows.push([name, showValue(name, argv[name]), origin]);
  }

  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const valueWidth = Math.min(48, Math.max(...rows.map(([, value]) => value.length)));
  const lines = [
    `config file: ${file.path}${file.exists ? '' : ' (not found)'}`,
    ...rows.map(([name, value, origin]) => `${name.padEnd(nameWidth)}  ${value.padEnd(valueWidth)}  ${origin}`),
  ];
  process.stdout.write(lines.map((line) => `${sanitizeForTerminal(line)}\n`).join(''));
  return 'ok';
}

function showValue(name: string, value: unknown): string {
  if (value === undefined) {
    return '-';
  }
  if (SECRET_OPTIONS.has(name)) {
    if (name === 'header') {
      // Header names are not secret, their values (API keys) are.
      const headers = Array.isArray(value) ? value : [value];
      return headers.map((header) => `${String(header).split(':', 1)[0]}: ${MASK}`).join(', ');
    }
    return MASK;
  }
  if (name === 'proxy' && typeof value === 'string') {
    return value.replace(/\/\/[^@/]*@/, '//***@');
  }
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}
