import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { writeFileAtomic } from '../../prometheus/atomic-write.js';
import { InventoryInvalidError, InventoryParseError } from '../errors.js';
import { formatIniInventory, parseIniInventory } from './ini.js';
import type { Inventory } from './inventory.js';
import {
  formatJsonInventory,
  formatListInventory,
  formatYamlInventory,
  parseJsonInventory,
  parseYamlInventory,
} from './yaml.js';

/**
 * `ini`, `yaml` and `json` are Ansible's static formats (`json` has the YAML plugin's structure);
 * `list` is what a dynamic inventory script prints for `--list`.
 */
export type InventoryFormat = 'ini' | 'yaml' | 'json' | 'list';

export function parseInventory(text: string, format: InventoryFormat): Inventory {
  switch (format) {
    case 'ini':
      return parseIniInventory(text);
    case 'yaml':
      return parseYamlInventory(text);
    case 'json':
    case 'list':
      return parseJsonInventory(text);
    default:
      throw new InventoryInvalidError(`unknown inventory format ${String(format)}`);
  }
}

export function formatInventory(inventory: Inventory, format: InventoryFormat): string {
  switch (format) {
    case 'ini':
      return formatIniInventory(inventory);
    case 'yaml':
      return formatYamlInventory(inventory);
    case 'json':
      return formatJsonInventory(inventory);
    case 'list':
      return formatListInventory(inventory);
    default:
      throw new InventoryInvalidError(`unknown inventory format ${String(format)}`);
  }
}

/** The format Ansible's plugins would pick for a file name: `.yml`/`.yaml`, `.json`, else INI. */
export function inventoryFormatOf(path: string): InventoryFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.yml' || ext === '.yaml') return 'yaml';
  if (ext === '.json') return 'json';
  return 'ini';
}

export async function readInventory(path: string, format = inventoryFormatOf(path)): Promise<Inventory> {
  const text = await readFile(path, 'utf8');
  try {
    return parseInventory(text, format);
  } catch (error) {
    if (error instanceof InventoryParseError) {
      throw new InventoryParseError(error.detail, error.line, { cause: error.cause, file: path });
    }
    throw error;
  }
}

/** Writes an inventory atomically (temp file and rename), mode 0600: inventories hold secrets. */
export async function writeInventory(
  path: string,
  inventory: Inventory,
  format = inventoryFormatOf(path),
): Promise<void> {
  await writeFileAtomic(path, formatInventory(inventory, format), 0o600);
}
