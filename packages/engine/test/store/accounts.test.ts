import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@leviathan/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountService } from '../../src/auth/accounts/account-service.js';
import {
  type AccountAuthSuccess,
  accountsVerifier,
  isAccountRegistrar,
} from '../../src/auth/accounts/accounts-verifier.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';

const cheap = { logN: 10, r: 8, p: 1 };

describe('accounts (register, password login, sessions, rate limits)', () => {
  let dir: string;
  let store: EmbeddedStore;
  let clock: Date;
  const service = (extra: Partial<ConstructorParameters<typeof AccountService>[0]> = {}) =>
    new AccountService({
      store,
      scrypt: cheap,
      now: () => clock,
      perUsername: { perSecond: 0.01, burst: 50 },
      ...extra,
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lev-acc-'));
    store = await EmbeddedStore.open({ dataDir: dir });
    clock = new Date('2026-01-01T00:00:00Z');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers, then logs in with the password and with the session token', async () => {
    const v = accountsVerifier(service());
    expect(isAccountRegistrar(v)).toBe(true);
    const reg = await v.register({ username: 'Mira', password: 'long enough', remoteAddress: '127.0.0.1' });
    expect(reg).toMatchObject({ ok: true, username: 'Mira', roles: ['player'] });
    const token = (reg as AccountAuthSuccess).token;
    expect(token).toMatch(/^lev_s1_/);
    expect(await v.verify({ username: 'mira', token, remoteAddress: '127.0.0.2' })).toMatchObject({
      ok: true,
      username: 'Mira',
    });
    const login = await v.verify({ username: 'MIRA', password: 'long enough', remoteAddress: '127.0.0.3' });
    expect(login).toMatchObject({ ok: true, username: 'Mira' });
    expect((login as AccountAuthSuccess).token).not.toBe(token);
    // The store keeps a hash of the password and of the token, never either of them.
    const account = await store.findAccount('mira');
    expect(account?.passwordHash).toMatch(/^scrypt\$/);
    expect(account?.passwordHash).not.toContain('long enough');
    expect(await store.findSession(token, clock)).toBeUndefined();
  });

  it('answers a wrong password and an unknown name alike', async () => {
    const v = accountsVerifier(service());
    await v.register({ username: 'nia', password: 'correct-pw', remoteAddress: '127.0.0.1' });
    const wrong = await v.verify({ username: 'nia', password: 'wrong-pw!', remoteAddress: '127.0.0.1' });
    const unknown = await v.verify({
      username: 'nobody',
      password: 'correct-pw',
      remoteAddress: '127.0.0.1',
    });
    expect(wrong).toEqual({ ok: false, code: ErrorCode.AuthFailed, message: 'wrong username or password' });
    expect(unknown).toEqual(wrong);
  });

  it('enforces the username rules, the password length and unique names', async () => {
    const v = accountsVerifier(service());
    for (const username of ['', '1abc', 'a b', "x'; DROP TABLE accounts;--", 'é', 'a'.repeat(33)]) {
      expect(
        await v.register({ username, password: 'long enough', remoteAddress: '127.0.0.1' }),
      ).toMatchObject({
        ok: false,
        code: ErrorCode.InvalidField,
      });
    }
    expect(await v.register({ username: 'ok', password: 'short', remoteAddress: '127.0.0.1' })).toMatchObject(
      {
        ok: false,
        code: ErrorCode.InvalidField,
      },
    );
    await v.register({ username: 'Odo', password: 'long enough', remoteAddress: '127.0.0.1' });
    expect(
      await v.register({ username: 'ODO', password: 'other password', remoteAddress: '127.0.0.1' }),
    ).toMatchObject({
      ok: false,
      code: ErrorCode.AuthFailed,
      message: 'the name ODO is taken',
    });
    // The hostile name was inert: the table is whole.
    expect(await store.findAccount('odo')).toBeDefined();
  });

  it('refuses an expired, a foreign or a logged-out session', async () => {
    const s = service({ sessionTtlSec: 60 });
    const v = accountsVerifier(s);
    const a = (await v.register({
      username: 'pam',
      password: 'long enough',
      remoteAddress: '127.0.0.1',
    })) as AccountAuthSuccess;
    await v.register({ username: 'quin', password: 'long enough', remoteAddress: '127.0.0.1' });
    expect(await v.verify({ username: 'quin', token: a.token, remoteAddress: '127.0.0.1' })).toMatchObject({
      ok: false,
    });
    expect(
      await v.verify({ username: 'pam', token: 'lev_s1_forged', remoteAddress: '127.0.0.1' }),
    ).toMatchObject({ ok: false });
    expect(
      await v.verify({ username: 'pam', token: 'test-token', remoteAddress: '127.0.0.1' }),
    ).toMatchObject({ ok: false });
    clock = new Date(clock.getTime() + 61_000);
    expect(await v.verify({ username: 'pam', token: a.token, remoteAddress: '127.0.0.1' })).toMatchObject({
      ok: false,
      code: ErrorCode.AuthFailed,
    });
    clock = new Date(clock.getTime() - 61_000);
    await s.logout(a.token);
    expect(await v.verify({ username: 'pam', token: a.token, remoteAddress: '127.0.0.1' })).toMatchObject({
      ok: false,
    });
  });

  it('rate-limits attempts per username across addresses, and per address across names', async () => {
    const v = accountsVerifier(
      service({ perUsername: { perSecond: 0.001, burst: 3 }, perAddress: { perSecond: 0.001, burst: 5 } }),
    );
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await v.verify({ username: 'rex', password: 'guess-guess', remoteAddress: `10.0.0.${i}` });
      codes.push(r.ok ? 'ok' : r.code);
    }
    expect(codes).toEqual([
      ErrorCode.AuthFailed,
      ErrorCode.AuthFailed,
      ErrorCode.AuthFailed,
      ErrorCode.AuthRateLimited,
    ]);
    const perAddress: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await v.verify({ username: `user${i}`, password: 'guess-guess', remoteAddress: '10.9.9.9' });
      perAddress.push(r.ok ? 'ok' : r.code);
    }
    expect(perAddress.filter((c) => c === ErrorCode.AuthRateLimited)).toHaveLength(1);
    expect(perAddress.at(-1)).toBe(ErrorCode.AuthRateLimited);
  });

  it('answers "try again" when the store is down instead of throwing', async () => {
    const v = accountsVerifier(service());
    await store.close();
    expect(
      await v.verify({ username: 'sol', password: 'whatever-pw', remoteAddress: '127.0.0.1' }),
    ).toMatchObject({
      ok: false,
      code: ErrorCode.Internal,
    });
  });
});
