import { LOGIN_OPTIONS_PATH as PROTOCOL_LOGIN_OPTIONS_PATH, parseLoginOptions } from '@leviathan/protocol';
import { describe, expect, it } from 'vitest';

// The browser client is plain JavaScript with no build step; its DOM-free modules load in Node.
interface History {
  push(line: string): void;
  up(current: string): string;
  down(current: string): string;
}
const historyUrl = new URL('../web/history.js', import.meta.url).href;
const connectionUrl = new URL('../web/connection.js', import.meta.url).href;
const { createHistory } = (await import(historyUrl)) as { createHistory: (limit?: number) => History };
const { backoffMs } = (await import(connectionUrl)) as {
  backoffMs: (n: number, random?: () => number) => number;
};

describe('web client input history', () => {
  it('walks back and forth through earlier lines and keeps the draft', () => {
    const h = createHistory();
    h.push('look');
    h.push('north');
    h.push('north');
    h.push('   ');
    expect(h.up('say hel')).toBe('north');
    expect(h.up('north')).toBe('look');
    expect(h.up('look')).toBe('look');
    expect(h.down('look')).toBe('north');
    expect(h.down('north')).toBe('say hel');
    expect(h.down('say hel')).toBe('say hel');
  });
  it('keeps at most `limit` lines', () => {
    const h = createHistory(2);
    for (const l of ['a', 'b', 'c']) h.push(l);
    expect(h.up('')).toBe('c');
    expect(h.up('')).toBe('b');
    expect(h.up('')).toBe('b');
  });
});

describe('web client reconnect backoff', () => {
  it('doubles from 500 ms to a 15 s ceiling, with ±25 % jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffMs(n, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 15000, 15000, 15000,
    ]);
    expect(backoffMs(0, () => 0)).toBe(375);
    expect(backoffMs(0, () => 0.999999)).toBe(625);
  });
});

interface LoginLayout {
  modes: string[];
  mode: string;
  showToken: boolean;
  token?: string;
  hint: string;
}
const loginOptionsUrl = new URL('../web/login-options.js', import.meta.url).href;
const { readLoginOptions, loginForm, LOGIN_OPTIONS_PATH } = (await import(loginOptionsUrl)) as {
  readLoginOptions: (value: unknown) => unknown;
  loginForm: (options: unknown, saved: string | null) => LoginLayout;
  LOGIN_OPTIONS_PATH: string;
};

describe('web client login options', () => {
  it('reads the answer as the protocol package does', () => {
    expect(LOGIN_OPTIONS_PATH).toBe(PROTOCOL_LOGIN_OPTIONS_PATH);
    for (const value of [
      { auth: 'dev', secrets: ['token'], register: false, devToken: 'test-token' },
      { auth: 'accounts', secrets: ['password'], register: true },
      { auth: 'custom', secrets: ['password', 'token', 'password'], register: false, extra: 1 },
      { auth: 'hmac', secrets: ['token'], register: false },
      { auth: 'sso', secrets: ['token'], register: false },
      { auth: 'dev', secrets: [], register: false },
      { auth: 'dev', secrets: ['cookie'], register: false },
      { auth: 'dev', secrets: ['token'] },
      { auth: 'dev', secrets: ['token'], register: false, devToken: 1 },
      { status: 'ok' },
      'not found',
      null,
    ])
      expect(readLoginOptions(value), JSON.stringify(value)).toEqual(parseLoginOptions(value));
  });

  it('offers the ways in the server takes, the last one chosen where it still applies', () => {
    const hmac = loginForm({ auth: 'hmac', secrets: ['token'], register: false }, 'login');
    expect(hmac).toMatchObject({ modes: ['token'], mode: 'token', showToken: true });
    expect(hmac.hint).toMatch(/signed tokens/);
    const custom = { auth: 'custom', secrets: ['password', 'token'], register: false };
    expect(loginForm(custom, null)).toMatchObject({ modes: ['login', 'token'], mode: 'login' });
    expect(loginForm(custom, 'token')).toMatchObject({ mode: 'token' });
    const closed = loginForm({ auth: 'accounts', secrets: ['password'], register: false }, null);
    expect(closed.modes).toEqual(['login']);
    expect(closed.hint).toMatch(/ask its operator/);
    expect(loginForm(undefined, 'token')).toMatchObject({
      modes: ['login', 'register', 'token'],
      mode: 'token',
    });
  });
});
