import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { looksRandom, scanRepository, scanText } from '../scripts/scan-secrets.js';

// Fixtures are assembled at run time, so that this file holds no secret and no unsafe call.
const j = (...parts: string[]) => parts.join('');
const rules = (file: string, text: string) => scanText(file, text).map((f) => f.rule);

describe('scan-secrets', () => {
  it('finds private keys, forge and cloud tokens in any text file', () => {
    expect(rules('a.md', j('-----BEGIN ', 'RSA PRIVATE KEY-----'))).toEqual(['private key']);
    expect(rules('a.md', j('-----BEGIN ', 'OPENSSH PRIVATE KEY-----'))).toEqual(['private key']);
    expect(rules('a.yml', j('key: AKIA', 'IOSFODNN7EXAMPLE'))).toEqual(['AWS access key id']);
    expect(rules('a.sh', j('TOKEN=ghp_', 'a'.repeat(20), 'B1'.repeat(10)))).toEqual(['GitHub token']);
    expect(rules('a.sh', j('glpat-', 'x1Y2z3'.repeat(4)))).toEqual(['GitLab token']);
    expect(
      rules('a.txt', j('//registry.npmjs.org/:_authToken=npm_', 'A1b2C3d4E5'.repeat(3), 'f6G7h8')),
    ).toEqual(['npm token']);
  });

  it('finds random-looking secrets in keys and URLs, not placeholders or readable fixtures', () => {
    expect(rules('a.ts', j("const apiKey = '", 'q8Zr2LmX0vT4bN7k', "';"))).toEqual(['hard-coded secret']);
    expect(rules('a.ts', j("const password = '", 'a-secret-of-at-least-thirty-two-bytes!', "';"))).toEqual(
      [],
    );
    expect(rules('a.md', 'postgres://user:password@host:5432/db')).toEqual([]);
    expect(rules('a.md', j('postgres://lev:', 'Xk29fQ0zLp7w', '@db:5432/lev'))).toEqual([
      'credentials in a URL',
    ]);
    expect(rules('a.yml', 'DATABASE_URL: postgres://test:test@postgres:5432/leviathan_test')).toEqual([]);
    expect(looksRandom('new-password')).toBe(false);
    // Regression: a fixture with a number among its words was taken for a secret.
    expect(looksRandom(j('a-test-secret-that-is-at-least-', '32-bytes-long'))).toBe(false);
    expect(looksRandom('q8Zr2LmX0vT4bN7k')).toBe(true);
    expect(looksRandom('9f86d081884c7d659a2feaa0c55ad015')).toBe(true);
  });

  it('finds eval, the Function constructor and a true shell option in code only', () => {
    expect(rules('a.ts', j('const v = ev', 'al(input);'))).toEqual(['eval call']);
    expect(rules('a.ts', j('const f = new Fun', 'ction("a", body);'))).toEqual(['Function constructor']);
    expect(rules('a.mjs', j('spawn(cmd, { sh', 'ell: true });'))).toEqual(['shell option set to true']);
    expect(rules('a.md', j('never call ev', 'al( on input'))).toEqual([]);
    expect(rules('a.ts', 'page.evaluate(() => 1); retrieval(x);')).toEqual([]);
  });

  it('lets a line keep a match only with a reason', () => {
    expect(rules('a.ts', j('const v = ev', 'al(x); // scan-secrets: allow sandboxed-test'))).toEqual([]);
    expect(rules('a.ts', j('const v = ev', 'al(x); // scan-secrets: allow'))).toEqual(['eval call']);
  });

  it('scans the files git would track, and the repository is clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lev-scan-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      writeFileSync(join(dir, '.gitignore'), 'ignored.ts\n');
      writeFileSync(join(dir, 'bad.ts'), j('ev', 'al("1");\n'));
      writeFileSync(join(dir, 'ignored.ts'), j('ev', 'al("1");\n'));
      expect(scanRepository(dir).map((f) => `${f.file}:${f.line}`)).toEqual(['bad.ts:1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(scanRepository(fileURLToPath(new URL('..', import.meta.url)))).toEqual([]);
  });
});
