import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnsibleInvalidOptionError } from './errors.js';
import { formatInventory, type Inventory } from './inventory/index.js';
import { PROGRESS_CALLBACK_NAME, PROGRESS_CALLBACK_SOURCE } from './progress-callback-plugin.js';

/** A run's private directory (mode 0700): our callback plugin, the extra vars, an inventory. */
export interface RunDir {
  readonly path: string;
  readonly pluginDir: string;
  readonly extraVarsFile: string | undefined;
  readonly inventoryFile: string | undefined;
  remove(): Promise<void>;
}

function isInventory(value: unknown): value is Inventory {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function createRunDir(options: {
  readonly extraVars: Readonly<Record<string, unknown>> | undefined;
  readonly inventory: unknown;
}): Promise<RunDir> {
  let extraVarsJson: string | undefined;
  if (options.extraVars !== undefined) {
    try {
      extraVarsJson = JSON.stringify(options.extraVars);
    } catch (error) {
      throw new AnsibleInvalidOptionError('extraVars cannot be serialised as JSON', { cause: error });
    }
  }
  const inventoryText = isInventory(options.inventory)
    ? formatInventory(options.inventory, 'yaml')
    : undefined;
  const path = await mkdtemp(join(tmpdir(), 'leviathan-ansible-'));
  const remove = () => rm(path, { recursive: true, force: true });
  try {
    const pluginDir = join(path, 'callback_plugins');
    await mkdir(pluginDir);
    await writeFile(join(pluginDir, `${PROGRESS_CALLBACK_NAME}.py`), PROGRESS_CALLBACK_SOURCE);
    let extraVarsFile: string | undefined;
    if (extraVarsJson !== undefined) {
      extraVarsFile = join(path, 'extra-vars.json');
      await writeFile(extraVarsFile, extraVarsJson, { mode: 0o600 });
    }
    let inventoryFile: string | undefined;
    if (inventoryText !== undefined) {
      inventoryFile = join(path, 'inventory.yml');
      await writeFile(inventoryFile, inventoryText, { mode: 0o600 });
    }
    return { path, pluginDir, extraVarsFile, inventoryFile, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
