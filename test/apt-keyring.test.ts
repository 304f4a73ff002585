import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hasTool } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SigningKey, signingKeys } from './gpg.js';

/**
 * scripts/apt-keyring.sh, which the GitLab test job trusts the HashiCorp and Docker repositories
 * through, run for real with gpg and curl on keys made here (served as file:// URLs): it installs
 * the key whose fingerprint it was given, and nothing else.
 */
const SCRIPT = fileURLToPath(new URL('../scripts/apt-keyring.sh', import.meta.url));

describe.skipIf(!hasTool('gpg', 'gnupg') || !hasTool('curl'))('scripts/apt-keyring.sh', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let vendor: SigningKey;
  let intruder: SigningKey;

  const run = (keyring: string, url: string, fingerprint: string) =>
    spawnSync('bash', [SCRIPT, keyring, url, fingerprint], { env, encoding: 'utf8' });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leviathan-apt-keyring-'));
    const keys = signingKeys(dir);
    env = keys.env;
    vendor = keys.make('vendor');
    intruder = keys.make('intruder');
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs the key whose published fingerprint it is given, as a binary keyring', () => {
    const keyring = join(dir, 'vendor.gpg');
    const res = run(keyring, vendor.url, vendor.fingerprint);
    expect(res.status, res.stderr).toBe(0);
    const shown = execFileSync('gpg', ['--show-keys', '--with-colons', keyring], { env, encoding: 'utf8' });
    expect(shown).toContain(`:${vendor.fingerprint}:`);
    // Dearmored: apt reads a .gpg keyring as binary.
    expect(readFileSync(keyring).subarray(0, 1).toString()).not.toBe('-');
  });

  it('refuses another key, and writes no keyring', () => {
    const keyring = join(dir, 'swapped.gpg');
    const res = run(keyring, intruder.url, vendor.fingerprint);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/is not the published/);
    expect(existsSync(keyring)).toBe(false);
  });

  it('refuses the right key served with a second one beside it', () => {
    const both = join(dir, 'both.asc');
    const read = (url: string) => readFileSync(fileURLToPath(url), 'utf8');
    writeFileSync(both, read(vendor?.url ?? '') + read(intruder.url));
    const keyring = join(dir, 'both.gpg');
    const res = run(keyring, pathToFileURL(both).href, vendor.fingerprint);
    expect(res.status).toBe(1);
    expect(existsSync(keyring)).toBe(false);
  });

  it('fails on a key it cannot fetch', () => {
    const res = run(join(dir, 'missing.gpg'), pathToFileURL(join(dir, 'absent.asc')).href, '0'.repeat(40));
    expect(res.status).not.toBe(0);
    expect(existsSync(join(dir, 'missing.gpg'))).toBe(false);
  });
});
