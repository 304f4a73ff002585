import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DISPATCH_ORDER, GENERATED_PATH, generateValidators } from '../scripts/generate-validators.js';
import { CLIENT_MESSAGE_TYPES } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('the generated validators', () => {
  it('are up to date with the client schema (regenerate: pnpm --filter @leviathan/protocol run generate)', () => {
    const committed = readFileSync(join(packageDir, GENERATED_PATH), 'utf8');
    expect(committed === generateValidators(), `${GENERATED_PATH} is stale`).toBe(true);
  });

  it('say what made them, and dispatch every client message type', () => {
    const text = generateValidators();
    expect(text.split('\n')[0]).toContain('GENERATED FILE: do not edit');
    expect([...DISPATCH_ORDER].sort()).toEqual([...CLIENT_MESSAGE_TYPES].sort());
    for (const type of CLIENT_MESSAGE_TYPES) expect(text).toContain(`case '${type}':`);
  });
});
