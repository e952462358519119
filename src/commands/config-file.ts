import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';

import type { Options } from 'yargs';

import { usageError } from '../errors.js';
import { writeWarning } from '../output/diagnostics.js';
import { PATH_OPTIONS, SECRET_OPTIONS } from './access-options.js';

/** cscws's own settings file, with the values it sets for the client's options. */
export interface ClientConfigFile {
  path: string;
  exists: boolean;
  /** Option values by long option name; paths already resolved against the file's folder. */
  values: Record<string, unknown>;
}

/**
 * Returns the path of the config file: `$XDG_CONFIG_HOME/cscws/config.json`, or
 * `~/.config/cscws/config.json` when XDG_CONFIG_HOME is unset or not absolute, as the XDG Base
 * Directory specification defines.
 */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(env.HOME ?? homedir(), '.config');
  return join(base, 'cscws', 'config.json');
}

/**
 * Reads the config file, if there is one, and checks every key against `table`. A missing file
 * is no error. Throws a usage CscwsError for invalid JSON, an unknown key or a value of the
 * wrong type, naming the file and the key.
 */
export function loadClientConfig(table: Record<string, Options>, path = configFilePath()): ClientConfigFile {
  // Parsing and the command both need the file; reading it once keeps its warnings single.
  const cached = loadedFiles.get(path);
  if (cached !== undefined) {
    return cached;
  }
  const loaded = readClientConfig(table, path);
  loadedFiles.set(path, loaded);
  return loaded;
}

const loadedFiles = new Map<string, ClientConfigFile>();

function readClientConfig(table: Record<string, Options>, path: string): ClientConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { path, exists: false, values: {} };
    }
    throw usageError(`cannot read the config file ${path}: ${(error as Error).message}`, 'Fix its permissions, or remove it.');
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw usageError(`the config file ${path} is not valid JSON: ${(error as Error).message}`, 'Write one JSON object, such as {"url": "wss://node.example:16181"}.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw usageError(`the config file ${path} must hold one JSON object of option names and values`, 'Write, for example, {"url": "wss://node.example:16181"}.');
  }

  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const option = table[key];
    if (option === undefined) {
      throw usageError(`unknown option "${key}" in the config file ${path}`, `Use long option names: ${Object.keys(table).join(', ')}.`);
    }
    checkValueType(path, key, option, value);
    values[key] = PATH_OPTIONS.has(key) && typeof value === 'string' ? resolve(dirname(path), value) : value;
  }

  warnWhenSecretsAreReadable(path, values);
  return { path, exists: true, values };
}

function checkValueType(path: string, key: string, option: Options, value: unknown): void {
  const expected = option.type ?? 'string';
  const matches = (item: unknown): boolean => typeof item === expected;

  if (option.array === true) {
    const ok = (Array.isArray(value) && value.every(matches)) || matches(value);
    if (!ok) {
      throw usageError(`"${key}" in the config file ${path} must be a ${expected} or an array of them`);
    }
  } else if (!matches(value)) {
    throw usageError(`"${key}" in the config file ${path} must be a ${expected}, got ${JSON.stringify(value)?.slice(0, 40) ?? String(value)}`);
  }
  if (option.choices !== undefined && !(option.choices as unknown[]).includes(value)) {
    throw usageError(`"${key}" in the config file ${path} must be one of ${(option.choices as unknown[]).join(', ')}`);
  }
}

/** Warns when the file contains a token or header and other users can read it, because then it is no secret. */
function warnWhenSecretsAreReadable(path: string, values: Record<string, unknown>): void {
  if (process.platform === 'win32' || !Object.keys(values).some((key) => SECRET_OPTIONS.has(key))) {
    return;
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    writeWarning(`the config file ${path} holds a secret and other users may read it (mode ${mode.toString(8).padStart(4, '0')}); run chmod 600 ${path}`);
  }
}
