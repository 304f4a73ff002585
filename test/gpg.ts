import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SigningKey {
  /** The armored public key, as a vendor serves it. */
  file: string;
  url: string;
  fingerprint: string;
}

/**
 * Makes signing keys in a keyring of the test's own (GNUPGHOME under `dir`, so that the user's is
 * untouched), each exported as an armored file beside it: what an APT repository's key URL serves.
 */
export function signingKeys(dir: string): { env: NodeJS.ProcessEnv; make(name: string): SigningKey } {
  const home = join(dir, 'gnupg');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: home };
  const gpg = (...args: string[]) => execFileSync('gpg', ['--batch', ...args], { env, encoding: 'utf8' });
  return {
    env,
    make(name) {
      const uid = `${name} <${name}@example.invalid>`;
      gpg('--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never');
      const fingerprint = /^fpr:(?:[^:]*:){8}([0-9A-F]{40}):/m.exec(
        gpg('--with-colons', '--fingerprint', uid),
      )?.[1];
      if (fingerprint === undefined) throw new Error(`gpg made no key for ${uid}`);
      const file = join(dir, `${name}.asc`);
      writeFileSync(file, gpg('--armor', '--export', uid));
      return { file, url: pathToFileURL(file).href, fingerprint };
    },
  };
}
