/**
 * The node's `cs.conf`: one `key=value` a line, `#` starts a comment, keys may repeat, unknown keys
 * are ignored. Only the WebSocket keys are read here.
 */
export interface NodeWebSocketConf {
  /** `wsport`; the last one wins, as for every single-valued key of the node. Undefined when absent. */
  wsport: number | undefined;
  /** Every `wsallowip`, in file order: an address or a CIDR range. */
  wsallowip: string[];
}

/** The node's documented default `wsport`. */
export const DEFAULT_WSPORT = 16181;

/** A line of cs.conf that cannot be used, with its 1-based line number. */
export class CsConfError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsConfError';
  }
}

/** Parses the text of a cs.conf; throws CsConfError for a bad wsport or an empty wsallowip. */
export function parseCsConf(text: string): NodeWebSocketConf {
  const conf: NodeWebSocketConf = { wsport: undefined, wsallowip: [] };

  const lines = text.split(/\r?\n/);
  for (const [index, rawLine] of lines.entries()) {
    const lineNumber = index + 1;
    const line = stripComment(rawLine).trim();
    const equals = line.indexOf('=');
    if (line === '' || equals === -1) {
      // The node skips lines without `=`, such as section headers; so does cscws.
      continue;
    }

    const key = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    if (key === 'wsport') {
      conf.wsport = parsePort(value, lineNumber);
    } else if (key === 'wsallowip') {
      if (value === '') {
        throw new CsConfError(lineNumber, 'wsallowip is empty; give an address such as 127.0.0.1 or a range such as 192.168.1.0/24');
      }
      conf.wsallowip.push(value);
    }
  }
  return conf;
}

function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash === -1 ? line : line.slice(0, hash);
}

function parsePort(value: string, lineNumber: number): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new CsConfError(lineNumber, `wsport "${value}" is not a port from 1 to 65535`);
  }
  return port;
}
