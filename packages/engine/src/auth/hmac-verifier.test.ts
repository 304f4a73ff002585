import { ErrorCode } from '@leviathan/protocol';
import { describe, expect, it } from 'vitest';
import { AuthSecretError, AuthTokenSignError } from '../errors.js';
import { checkHmacToken, signHmacToken } from './hmac-token.js';
import { hmacVerifier } from './hmac-verifier.js';

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!';
const OTHER = 'another-secret-of-thirty-two-bytes-too';
const T0 = Date.UTC(2026, 0, 1);
const req = (token: string | undefined, username = 'alice') => ({
  username,
  token,
  remoteAddress: '127.0.0.1',
});

/** Flips one character of a base64url string to another valid one. */
function flip(text: string, index: number): string {
  const c = text[index]!;
  return text.slice(0, index) + (c === 'A' ? 'B' : 'A') + text.slice(index + 1);
}

describe('HMAC tokens', () => {
  const verifier = hmacVerifier({ secret: SECRET, now: () => T0 + 1000 });
  const token = signHmacToken({
    username: 'alice',
    roles: ['player', 'gm'],
    expiresInSec: 3600,
    secret: SECRET,
    now: T0,
  });

  it('round-trips username and roles', async () => {
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    await expect(verifier.verify(req(token))).resolves.toEqual({
      ok: true,
      username: 'alice',
      roles: ['player', 'gm'],
    });
  });

  it('refuses a token issued for another username', async () => {
    const result = await verifier.verify(req(token, 'mallory'));
    expect(result).toMatchObject({ ok: false, code: ErrorCode.AuthFailed });
  });

  it('refuses tampered payloads and signatures', async () => {
    const [version, payload, signature] = token.split('.') as [string, string, string];
    // A payload claiming another user, keeping the old signature.
    const forged = Buffer.from(
      JSON.stringify({ sub: 'mallory', roles: ['admin'], iat: T0 / 1000, exp: T0 / 1000 + 3600 }),
    ).toString('base64url');
    for (const bad of [
      `${version}.${forged}.${signature}`,
      `${version}.${flip(payload, 5)}.${signature}`,
      `${version}.${payload}.${flip(signature, 10)}`,
    ]) {
      expect(await verifier.verify(req(bad, 'mallory'))).toEqual({
        ok: false,
        code: ErrorCode.AuthFailed,
        message: 'invalid token',
      });
      expect(await verifier.verify(req(bad))).toMatchObject({ ok: false, code: ErrorCode.AuthFailed });
    }
  });

  it('refuses a token signed with another secret', async () => {
    const foreign = signHmacToken({ username: 'alice', expiresInSec: 60, secret: OTHER, now: T0 });
    expect(await verifier.verify(req(foreign))).toMatchObject({ ok: false, code: ErrorCode.AuthFailed });
  });

  it('refuses malformed tokens without throwing', async () => {
    const signature = token.split('.')[2]!;
    for (const bad of [
      '',
      'test-token',
      'v1.',
      'v1..',
      'v1.abc',
      `v2.${token.slice(3)}`,
      `v1.not base64!.${signature}`,
      `v1.abc.${signature.slice(0, 20)}`, // short signature
      `v1.abc.${signature}AAAA`, // long signature
      `${token}.extra`,
      'x'.repeat(10_000),
    ]) {
      const result = await verifier.verify(req(bad));
      expect(result.ok, bad).toBe(false);
    }
    expect(await verifier.verify(req(undefined))).toMatchObject({
      ok: false,
      message: 'a token is required',
    });
  });

  it('refuses a correctly signed payload that is not valid claims', async () => {
    const { createHmac } = await import('node:crypto');
    const body = `v1.${Buffer.from('{"sub": 5}').toString('base64url')}`;
    const signed = `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
    expect(checkHmacToken(signed, [Buffer.from(SECRET)])).toEqual({ ok: false, reason: 'bad-claims' });
    expect(await verifier.verify(req(signed))).toMatchObject({ ok: false, code: ErrorCode.AuthFailed });
  });

  it('expires, with the configured clock skew', async () => {
    const short = signHmacToken({ username: 'alice', expiresInSec: 60, secret: SECRET, now: T0 });
    const at = (ms: number) => hmacVerifier({ secret: SECRET, clockSkewSec: 30, now: () => T0 + ms });
    expect((await at(60_000 + 29_000).verify(req(short))).ok).toBe(true);
    expect(await at(60_000 + 30_000).verify(req(short))).toEqual({
      ok: false,
      code: ErrorCode.AuthExpired,
      message: 'the token has expired; get a new one',
    });
    // Issued in the future beyond the skew: refused.
    expect((await at(-31_000).verify(req(short))).ok).toBe(false);
    expect((await at(-29_000).verify(req(short))).ok).toBe(true);
  });

  it('accepts the previous secret during rotation, and only while configured', async () => {
    const old = signHmacToken({ username: 'alice', expiresInSec: 60, secret: OTHER, now: T0 });
    const rotating = hmacVerifier({ secret: SECRET, previousSecret: OTHER, now: () => T0 });
    expect((await rotating.verify(req(old))).ok).toBe(true);
    expect(
      (
        await rotating.verify(
          req(signHmacToken({ username: 'alice', expiresInSec: 60, secret: SECRET, now: T0 })),
        )
      ).ok,
    ).toBe(true);
    const rotated = hmacVerifier({ secret: SECRET, now: () => T0 });
    expect((await rotated.verify(req(old))).ok).toBe(false);
  });

  it('refuses short secrets and unsignable input', () => {
    expect(() => hmacVerifier({ secret: 'short' })).toThrow(AuthSecretError);
    expect(() => hmacVerifier({ secret: SECRET, previousSecret: 'short' })).toThrow(/previous HMAC secret/);
    expect(() => signHmacToken({ username: 'alice', expiresInSec: 60, secret: 'short' })).toThrow(
      AuthSecretError,
    );
    expect(() => signHmacToken({ username: 'no spaces', expiresInSec: 60, secret: SECRET })).toThrow(
      AuthTokenSignError,
    );
    expect(() => signHmacToken({ username: 'alice', expiresInSec: 0, secret: SECRET })).toThrow(
      AuthTokenSignError,
    );
    expect(() =>
      signHmacToken({ username: 'alice', roles: ['has space'], expiresInSec: 1, secret: SECRET }),
    ).toThrow(AuthTokenSignError);
  });

  it('accepts a secret given as bytes', async () => {
    const bytes = new Uint8Array(32).fill(7);
    const t = signHmacToken({ username: 'bob', expiresInSec: 60, secret: bytes });
    expect((await hmacVerifier({ secret: bytes }).verify(req(t, 'bob'))).ok).toBe(true);
  });
});
