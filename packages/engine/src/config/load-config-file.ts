import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigFileError } from '../errors.js';

/**
 * Reads a configuration file: `.json` as JSON, anything else as YAML (a superset of JSON). The
 * top level must be a mapping. Synchronous on purpose: it runs once, before anything listens.
 */
export function loadConfigFile(
  file: string,
  cwd: string = process.cwd(),
): { path: string; data: Record<string, unknown> } {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
    throw new ConfigFileError(path, reason, { cause: error });
  }
  let data: unknown;
  try {
    data = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true });
  } catch (error) {
    throw new ConfigFileError(
      path,
      `is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
      {
        cause: error,
      },
    );
  }
  if (data === null || data === undefined) return { path, data: {} };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigFileError(path, 'must hold a mapping of options at the top level');
  }
  return { path, data: data as Record<string, unknown> };
}
