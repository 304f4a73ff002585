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

  /**
   * Three calls one after the other, then four at once (so the pool opens more connections, and a
   * TLS session from the first handshake would be offered for resumption): what each call gave.
   */
  const callRepeatedly = async (c: ProxmoxClient): Promise<unknown[]> => {
    const one = () =>
      c.call('GET /version').then(
        (v) => v.release,
        (e: unknown) => e,
      );
    const results: unknown[] = [];
    for (let i = 0; i < 3; i++) results.push(await one());
    results.push(...(await Promise.all([one(), one(), one(), one()])));
    return results;
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

  it('trusts a custom CA, on every call', async () => {
    expect(await callRepeatedly(client({ ca: cert.cert }))).toEqual(Array(7).fill('9.1'));
  });

  it('refuses a server whose certificate the custom CA did not sign', async () => {
    await expect(client({ ca: other.cert }).call('GET /version')).rejects.toBeInstanceOf(PveTlsError);
  });

  it('accepts the pinned fingerprint, in any case and with or without colons', async () => {
    expect((await client({ fingerprint: cert.fingerprint256 }).call('GET /version')).release).toBe('9.1');
    const bare = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    expect((await client({ fingerprint: bare }).call('GET /version')).release).toBe('9.1');
  });

  it('keeps accepting the pinned certificate after the first call, on new connections too', async () => {
    // A resumed TLS session has no peer certificate to check: before the fix, every call after
    // the first connection failed with "fingerprint … is unknown".
    expect(await callRepeatedly(client({ fingerprint: cert.fingerprint256 }))).toEqual(Array(7).fill('9.1'));
  });

  it('refuses a certificate that does not match the pin, on every call', async () => {
    const results = await callRepeatedly(client({ fingerprint: other.fingerprint256 }));
    expect(results).toHaveLength(7);
    for (const err of results) {
      expect(err).toBeInstanceOf(PveTlsError);
      expect((err as Error).message).toMatch(/not the pinned one/);
    }
  });

  it('skips verification only when asked', async () => {
    expect(await callRepeatedly(client({ insecure: true }))).toEqual(Array(7).fill('9.1'));
  });

  it('rejects contradictory or malformed TLS options', () => {
    expect(() => client({ insecure: true, fingerprint: cert.fingerprint256 })).toThrow(PveConfigError);
    expect(() => client({ fingerprint: 'AB:CD' })).toThrow(/SHA-256/);
  });
});
