import { ErrorCode } from '@leviathan/protocol';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import { AuthSecretError, AuthVerifierError } from '../errors.js';
import { createLogger } from '../logging/logger.js';
import type { AuthVerifier } from './auth-verifier.js';
import { createAuthVerifier, verifySafely } from './create-auth-verifier.js';
import { DEV_TOKEN, devTokenVerifier } from './dev-token-verifier.js';
import { signHmacToken } from './hmac-token.js';
import { loadCustomVerifier } from './load-custom-verifier.js';

const SECRET = 'x'.repeat(40);
const req = (fields: { username?: string; token?: string; password?: string }) => ({
  username: 'alice',
  remoteAddress: '127.0.0.1',
  ...fields,
});
const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ destination: { write: (l: string) => lines.push(JSON.parse(l)) } });
  return { logger, lines };
}

describe('devTokenVerifier', () => {
  it('accepts test-token for any username and refuses anything else', async () => {
    const { logger } = captureLogger();
    const verifier = devTokenVerifier({ logger });
    expect(await verifier.verify(req({ username: 'bob', token: DEV_TOKEN }))).toEqual({
      ok: true,
      username: 'bob',
      roles: ['player'],
    });
    for (const token of [undefined, '', 'test-token ', 'TEST-TOKEN']) {
      expect(await verifier.verify(req(token === undefined ? {} : { token }))).toMatchObject({
        ok: false,
        code: ErrorCode.AuthFailed,
      });
    }
  });

  it('logs a warning when it is created', () => {
    const { logger, lines } = captureLogger();
    devTokenVerifier({ logger });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, authMode: 'dev' });
    expect(String(lines[0]!.msg)).toContain('development auth mode is ON');
  });
});

describe('createAuthVerifier', () => {
  it('is off unless asked: the default mode is hmac, which needs the secret', async () => {
    const config = resolveConfig({}, { env: { LEVIATHAN_HMAC_SECRET: SECRET } });
    expect(config.auth.mode).toBe('hmac');
    const verifier = await createAuthVerifier(config, { env: { LEVIATHAN_HMAC_SECRET: SECRET } });
    expect((await verifier.verify(req({ token: DEV_TOKEN }))).ok).toBe(false);
    const token = signHmacToken({ username: 'alice', expiresInSec: 60, secret: SECRET });
    expect((await verifier.verify(req({ token }))).ok).toBe(true);
    await expect(createAuthVerifier(config, { env: {} })).rejects.toThrow(AuthSecretError);
  });

  it('reads the previous secret for rotation from the environment', async () => {
    const previous = 'p'.repeat(32);
    const env = { LEVIATHAN_HMAC_SECRET: SECRET, LEVIATHAN_HMAC_PREVIOUS_SECRET: previous };
    const verifier = await createAuthVerifier(resolveConfig({}, { env }), { env });
    const old = signHmacToken({ username: 'alice', expiresInSec: 60, secret: previous });
    expect((await verifier.verify(req({ token: old }))).ok).toBe(true);
  });

  it('builds the dev verifier only in dev mode, with its warning', async () => {
    const { logger, lines } = captureLogger();
    const verifier = await createAuthVerifier(resolveConfig({ auth: { mode: 'dev' } }, { env: {} }), {
      logger,
    });
    expect((await verifier.verify(req({ token: DEV_TOKEN }))).ok).toBe(true);
    expect(lines[0]).toMatchObject({ level: 40 });
  });

  it('uses a verifier given in code for custom and accounts modes', async () => {
    const mine: AuthVerifier = { verify: async (r) => ({ ok: true, username: r.username, roles: ['mine'] }) };
    for (const mode of ['custom', 'accounts'] as const) {
      const verifier = await createAuthVerifier(resolveConfig({ auth: { mode } }, { env: {} }), {
        verifier: mine,
      });
      expect(verifier).toBe(mine);
    }
    await expect(
      createAuthVerifier(resolveConfig({ auth: { mode: 'accounts' } }, { env: {} })),
    ).rejects.toThrow(AuthVerifierError);
    await expect(
      createAuthVerifier(resolveConfig({ auth: { mode: 'custom' } }, { env: {} })),
    ).rejects.toThrow(/needs a verifier/);
  });

  it('loads auth.customVerifier from a module, passing config and logger to a factory', async () => {
    const config = resolveConfig(
      { auth: { mode: 'custom', customVerifier: fixture('custom-verifier-object.mjs') } },
      { env: {} },
    );
    const verifier = await createAuthVerifier(config);
    expect(await verifier.verify(req({ password: 'open-sesame' }))).toEqual({
      ok: true,
      username: 'alice',
      roles: ['player', 'custom'],
    });
    expect((await verifier.verify(req({ password: 'nope' }))).ok).toBe(false);
  });
});

describe('loadCustomVerifier', () => {
  it('loads a named factory and calls it with options', async () => {
    const verifier = await loadCustomVerifier(fixture('custom-verifier-factory.mjs'), {
      factoryOptions: { allowed: ['alice'] },
    });
    expect((await verifier.verify(req({}))).ok).toBe(true);
    expect((await verifier.verify(req({ username: 'bob' }))).ok).toBe(false);
  });

  it('resolves relative paths against cwd', async () => {
    const dir = new URL('./fixtures/', import.meta.url).pathname;
    const verifier = await loadCustomVerifier('./custom-verifier-object.mjs', { cwd: dir });
    expect(typeof verifier.verify).toBe('function');
  });

  it('explains modules that are missing, throw, or export no verifier', async () => {
    await expect(loadCustomVerifier(fixture('missing.mjs'))).rejects.toThrow(/could not be loaded/);
    await expect(loadCustomVerifier(fixture('broken-verifier.mjs'))).rejects.toThrow(/boom at import/);
    await expect(loadCustomVerifier(fixture('not-a-verifier.mjs'))).rejects.toThrow(
      /must export an object with a verify/,
    );
    const error = await loadCustomVerifier(fixture('not-a-verifier.mjs')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthVerifierError);
    expect((error as AuthVerifierError).code).toBe('LEV_ERR_AUTH_VERIFIER_INVALID');
  });
});

describe('verifySafely', () => {
  it('turns a throwing or malformed verifier into an internal failure and logs it', async () => {
    const { logger, lines } = captureLogger();
    const throwing: AuthVerifier = {
      verify: async () => {
        throw new Error('db down');
      },
    };
    const malformed = { verify: async () => ({ ok: 'yes' }) } as unknown as AuthVerifier;
    for (const verifier of [throwing, malformed]) {
      expect(await verifySafely(verifier, req({}), logger)).toMatchObject({
        ok: false,
        code: ErrorCode.Internal,
      });
    }
    expect(lines.map((l) => l.msg)).toEqual([
      'auth verifier threw',
      'auth verifier returned a malformed result',
    ]);
    const fine: AuthVerifier = { verify: async (r) => ({ ok: true, username: r.username, roles: [] }) };
    expect((await verifySafely(fine, req({}))).ok).toBe(true);
  });
});
