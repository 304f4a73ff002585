import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxmoxClient, PveConfigError, PveTlsError } from '../../src/index.js';
import { createSelfSignedCert, PveSimulator, type SelfSignedCert } from '../../src/testing/index.js';
import { TOKEN_ID, TOKEN_SECRET } from './fixtures.js';

describe('ProxmoxClient over HTTPS with a self-signed certificate', () => {
  let sim: PveSimulator;
  let cert: SelfSignedCert;
  let other: SelfSignedCert;
  const clients: ProxmoxClient[] = [];

  beforeAll(async () => {
    [cert, other] = await Promise.all([createSelfSignedCert(), createSelfSignedCert('someone-else')]);
    sim = await PveSimulator.start({ tls: { key: cert.key, cert: cert.cert } });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await sim.close();
  });

  const client = (tls: ConstructorParameters<typeof ProxmoxClient>[0]['tls']) => {
    const c = new ProxmoxClient({
      baseUrl: sim.url,
      auth: { type: 'token', tokenId: TOKEN_ID, secret: TOKEN_SECRET },
      tls,
      retry: { attempts: 1 },
    });
    clients.push(c);
    return c;
  };

  it('verifies certificates by default and refuses an unknown one', async () => {
    expect(sim.url.startsWith('https://127.0.0.1:')).toBe(true);
    const err = await client(undefined)
      .call('GET /version')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveTlsError);
    expect((err as PveTlsError).code).toBe('LEV_ERR_PVE_TLS');
    expect(sim.requests).toHaveLength(0);
  });

  it('trusts a custom CA', async () => {
    expect((await client({ ca: cert.cert }).call('GET /version')).release).toBe('9.1');
  });

  it('refuses a server whose certificate the custom CA did not sign', async () => {
    await expect(client({ ca: other.cert }).call('GET /version')).rejects.toBeInstanceOf(PveTlsError);
  });

  it('accepts the pinned fingerprint, in any case and with or without colons', async () => {
    expect((await client({ fingerprint: cert.fingerprint256 }).call('GET /version')).release).toBe('9.1');
    const bare = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    expect((await client({ fingerprint: bare }).call('GET /version')).release).toBe('9.1');
  });

  it('refuses a certificate that does not match the pin', async () => {
    const err = await client({ fingerprint: other.fingerprint256 })
      .call('GET /version')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PveTlsError);
    expect((err as Error).message).toMatch(/not the pinned one/);
  });

  it('skips verification only when asked', async () => {
    expect((await client({ insecure: true }).call('GET /version')).release).toBe('9.1');
  });

  it('rejects contradictory or malformed TLS options', () => {
    expect(() => client({ insecure: true, fingerprint: cert.fingerprint256 })).toThrow(PveConfigError);
    expect(() => client({ fingerprint: 'AB:CD' })).toThrow(/SHA-256/);
  });
});
