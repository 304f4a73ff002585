import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface SelfSignedCert {
  readonly key: string;
  readonly cert: string;
  /** SHA-256 fingerprint as Proxmox shows it: `AB:CD:...`. */
  readonly fingerprint256: string;
}

/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made with the `openssl`
 * command (node:crypto cannot create X.509 certificates). For serving the simulator over HTTPS.
 */
export async function createSelfSignedCert(commonName = 'pve-simulator'): Promise<SelfSignedCert> {
  const dir = await mkdtemp(join(tmpdir(), 'lev-pve-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    const x509 = new X509Certificate(cert);
    // X509Certificate.fingerprint256 is the same colon-separated upper-case form.
    const fingerprint256 = x509.fingerprint256 || createHash('sha256').update(x509.raw).digest('hex');
    return { key, cert, fingerprint256 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
