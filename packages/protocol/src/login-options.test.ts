import { describe, expect, it } from 'vitest';
import { LOGIN_OPTIONS_PATH, parseLoginOptions } from './login-options.js';

describe('parseLoginOptions', () => {
  it('reads what a server answers at /login-options', () => {
    expect(LOGIN_OPTIONS_PATH).toBe('/login-options');
    expect(
      parseLoginOptions({ auth: 'dev', secrets: ['token'], register: false, devToken: 'test-token' }),
    ).toEqual({ auth: 'dev', secrets: ['token'], register: false, devToken: 'test-token' });
    expect(parseLoginOptions({ auth: 'accounts', secrets: ['password'], register: true })).toEqual({
      auth: 'accounts',
      secrets: ['password'],
      register: true,
    });
  });

  it('ignores fields a newer server adds, and repeated secrets', () => {
    expect(
      parseLoginOptions({ auth: 'custom', secrets: ['password', 'token', 'token'], register: false, x: 1 }),
    ).toEqual({ auth: 'custom', secrets: ['password', 'token'], register: false });
  });

  it('refuses anything else, so the client falls back to asking', () => {
    for (const bad of [
      undefined,
      null,
      'dev',
      [],
      { status: 'ok' },
      { auth: 'magic', secrets: ['token'], register: false },
      { auth: 'dev', secrets: [], register: false },
      { auth: 'dev', secrets: ['cookie'], register: false },
      { auth: 'dev', secrets: 'token', register: false },
      { auth: 'dev', secrets: ['token'], register: 'no' },
      { auth: 'dev', secrets: ['token'], register: false, devToken: 42 },
      { auth: 'dev', secrets: ['token'], register: false, devToken: 'x'.repeat(4097) },
    ])
      expect(parseLoginOptions(bad), JSON.stringify(bad)).toBeUndefined();
  });
});
