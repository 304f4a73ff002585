import { readFileSync } from 'node:fs';
import { EngineError } from '@leviathan/engine';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';
import { MudErrorCode } from './errors.js';

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const section = docs.slice(docs.indexOf('## @leviathan/mud'));

describe('mud error codes', () => {
  const codes = Object.values(MudErrorCode);

  it('are unique and stable in form', () => {
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^LEV_ERR_WORLD_[A-Z_]+$/);
  });

  it.each(codes)('%s is documented in the mud section of docs/errors.md', (code) => {
    expect(docs).toContain('## @leviathan/mud');
    expect(section).toContain(`\`${code}\``);
  });

  it('each error class carries its code, its issues and its cause', () => {
    const cause = new Error('ENOENT');
    const missing = new errors.WorldNotFoundError('/w', { cause });
    expect(missing).toBeInstanceOf(errors.WorldError);
    expect(missing).toBeInstanceOf(EngineError);
    expect(missing.code).toBe(MudErrorCode.WorldNotFound);
    expect(missing.cause).toBe(cause);
    const issue = { file: 'zones/harbor.yaml', path: 'rooms.square.exits.north', message: 'no such room' };
    const invalid = new errors.WorldInvalidError('/w', [issue]);
    expect(invalid.code).toBe(MudErrorCode.WorldInvalid);
    expect(invalid.issues).toEqual([issue]);
    expect(invalid.message).toContain('zones/harbor.yaml: rooms.square.exits.north: no such room');
  });
});
