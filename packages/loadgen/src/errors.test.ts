import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';
import { LoadgenErrorCode } from './errors.js';

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const section = docs.slice(docs.indexOf('## @leviathan/loadgen'));

describe('loadgen error codes', () => {
  const codes = Object.values(LoadgenErrorCode);

  it('are unique and stable in form', () => {
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^LEV_ERR_LOADGEN_[A-Z_]+$/);
  });

  it.each(codes)('%s is documented in the loadgen section of docs/errors.md', (code) => {
    expect(docs).toContain('## @leviathan/loadgen');
    expect(section).toContain(`\`${code}\``);
  });

  it('each error class carries its code and chains its cause', () => {
    const cause = new Error('root');
    const e = new errors.ConnectFailedError('ws://127.0.0.1:1/ws', cause);
    expect(e).toBeInstanceOf(errors.LoadgenError);
    expect(e.code).toBe(LoadgenErrorCode.ConnectFailed);
    expect(e.cause).toBe(cause);
    expect(new errors.OpenFilesLimitError(30_000, 20_000, 20_000).message).toMatch(
      /hard limit is 20000.*--segment/,
    );
    expect(new errors.OpenFilesLimitError(5000, 1024, 20_000).message).toMatch(/ulimit -n 20000/);
  });
});
