import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InfraSdkError } from './errors.js';
import { PveApiError, PveInvalidParamsError, PveTaskFailedError } from './proxmox/errors.js';

/** The base class's file and each client's errors, beside it. */
const ERROR_FILES = ['./errors.ts', './proxmox/errors.ts', './ansible/errors.ts', './prometheus/errors.ts'];
const source = ERROR_FILES.map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n');
const codes = [...source.matchAll(/'(LEV_ERR_[A-Z0-9_]+)'/g)].map((m) => m[1]!);
const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

/** The part of docs/errors.md about this package: from its heading to the next `## `. */
function section(): string {
  const start = docs.indexOf('\n## @leviathan/infra-sdk');
  if (start < 0) return '';
  const next = docs.indexOf('\n## ', start + 1);
  return docs.slice(start, next < 0 ? undefined : next);
}

describe('infra-sdk error codes', () => {
  it('are found in the errors files', () => {
    expect(codes.length).toBeGreaterThan(10);
    expect(codes).toContain('LEV_ERR_PVE_TASK_FAILED');
  });

  it('are unique', () => {
    const dup = codes.filter((c, i) => codes.indexOf(c) !== i);
    expect(dup).toEqual([]);
  });

  it('are each documented in docs/errors.md under "## @leviathan/infra-sdk"', () => {
    const text = section();
    const missing = codes.filter((c) => !text.includes(`\`${c}\``));
    expect(missing, 'add these codes to docs/errors.md').toEqual([]);
  });

  it('chain causes and carry Proxmox details', () => {
    const root = new Error('socket hang up');
    const e = new PveInvalidParamsError({
      status: 400,
      pveMessage: 'Parameter verification failed.',
      paramErrors: { newid: 'bad' },
      request: 'POST /x',
    });
    expect(e).toBeInstanceOf(PveApiError);
    expect(e).toBeInstanceOf(InfraSdkError);
    expect(e.name).toBe('PveInvalidParamsError');
    expect(e.message).toBe('POST /x failed with 400 Parameter verification failed. (newid: bad)');
    const t = new PveTaskFailedError('UPID:x', 'boom', ['a', 'TASK ERROR: boom'], { cause: root });
    expect(t.cause).toBe(root);
    expect(t.message).toContain('TASK ERROR: boom');
  });
});
