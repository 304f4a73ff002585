/**
 * Generates the Proxmox VE API types and the simulator's schema table from the official schema.
 *
 *   pnpm --filter @leviathan/infra-sdk run generate /path/to/pve-api-schema-9.1.json
 *   (the official schema: pve-docs' api-viewer/apidata.js, as JSON)
 *   (or: npx tsx packages/infra-sdk/scripts/generate-proxmox-api.ts <schema.json>)
 *
 * Writes src/proxmox/api.generated.ts and src/testing/pve-schema.generated.ts. The output depends
 * only on the schema's bytes, so test/proxmox/generated.test.ts can regenerate it in memory and
 * fail when the committed files are stale.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitSimTable } from './emit-sim-table.js';
import { emitTypes } from './emit-types.js';
import { readSchema } from './proxmox-schema.js';

export const GENERATED_TYPES_PATH = 'src/proxmox/api.generated.ts';
export const GENERATED_TABLE_PATH = 'src/testing/pve-schema.generated.ts';

export interface GeneratedFiles {
  /** Contents of src/proxmox/api.generated.ts. */
  readonly types: string;
  /** Contents of src/testing/pve-schema.generated.ts. */
  readonly table: string;
  readonly endpointCount: number;
}

/** Generates both files from the schema's text; `schemaName` goes into the header. */
export function generateProxmoxApi(schemaText: string, schemaName: string): GeneratedFiles {
  const schema = readSchema(schemaText);
  const sha256 = createHash('sha256').update(schemaText).digest('hex');
  const ranges = [...schema.ranges.values()]
    .sort((a, b) => (a.family < b.family ? -1 : 1))
    .map(
      (r) =>
        `//   ${r.family}[n]: ${r.range[0]}..${r.range[1]} (${r.source === 'schema' ? 'from the schema' : 'upstream constant, not in the schema'})`,
    );
  const header = [
    '// GENERATED FILE: do not edit. Made by packages/infra-sdk/scripts/generate-proxmox-api.ts',
    `// from ${schemaName} (sha256 ${sha256}), ${schema.endpoints.length} endpoints.`,
    '// Regenerate: npx tsx packages/infra-sdk/scripts/generate-proxmox-api.ts <path to the schema>',
    '// Indexed parameters expanded to:',
    ...ranges,
    '',
  ].join('\n');
  return {
    types: `${header}${emitTypes(schema)}`,
    table: `${header}${emitSimTable(schema)}`,
    endpointCount: schema.endpoints.length,
  };
}

function main(argv: readonly string[]): void {
  const schemaPath = argv[0];
  if (!schemaPath) {
    console.error('usage: generate-proxmox-api.ts <pve-api-schema.json>');
    process.exit(2);
  }
  const pkgRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
  const out = generateProxmoxApi(readFileSync(schemaPath, 'utf8'), basename(schemaPath));
  writeFileSync(join(pkgRoot, GENERATED_TYPES_PATH), out.types);
  writeFileSync(join(pkgRoot, GENERATED_TABLE_PATH), out.table);
  console.log(
    `wrote ${GENERATED_TYPES_PATH} (${out.types.length} bytes) and ${GENERATED_TABLE_PATH} (${out.table.length} bytes): ${out.endpointCount} endpoints`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
