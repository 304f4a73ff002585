import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOGIN_OPTIONS_PATH, type LoginOptions, parseLoginOptions } from '@leviathan/protocol';
import { describe, expect, it } from 'vitest';
import type { AuthVerifier, CreateServerOptions } from '../src/index.js';
import { startServer } from './helpers/start-server.js';
import { TRANSPORTS } from './helpers/transports.js';

// `GET /login-options`: how a server takes logins, for clients that draw a login form before they
// connect (the MUD's browser page). Every auth mode, on every transport, through a real server.

const anyVerifier: AuthVerifier = {
  async verify(request) {
    return { ok: true, username: request.username, roles: ['player'] };
  },
};

async function loginOptionsOf(options: CreateServerOptions, transport: string): Promise<LoginOptions> {
  const { server, port } = await startServer({ transport, ...options } as CreateServerOptions);
  try {
    const response = await fetch(`http://127.0.0.1:${port}${LOGIN_OPTIONS_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const options = parseLoginOptions(await response.json());
    if (options === undefined) throw new Error('the answer is not a LoginOptions');
    return options;
  } finally {
    await server.close();
  }
}

describe.each(TRANSPORTS)('GET /login-options on the %s transport', (transport) => {
  it('dev: tokens, and the token itself', async () => {
    expect(await loginOptionsOf({ auth: { mode: 'dev' } }, transport)).toEqual({
      auth: 'dev',
      secrets: ['token'],
      register: false,
      devToken: 'test-token',
    });
  });

  it('hmac: tokens, and no token given away', async () => {
    process.env.LEVIATHAN_TEST_HMAC = 'a-test-secret-of-at-least-thirty-two-bytes';
    try {
      expect(
        await loginOptionsOf({ auth: { mode: 'hmac', hmacSecretEnv: 'LEVIATHAN_TEST_HMAC' } }, transport),
      ).toEqual({ auth: 'hmac', secrets: ['token'], register: false });
    } finally {
      delete process.env.LEVIATHAN_TEST_HMAC;
    }
  });

  it('custom: a password or a token, as the verifier decides', async () => {
    expect(await loginOptionsOf({ auth: { mode: 'custom' }, verifier: anyVerifier }, transport)).toEqual({
      auth: 'custom',
      secrets: ['password', 'token'],
      register: false,
    });
  });

  it('accounts: passwords, and registration', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lev-login-options-'));
    try {
      expect(
        await loginOptionsOf({ auth: { mode: 'accounts' }, store: { kind: 'embedded', dataDir } }, transport),
      ).toEqual({ auth: 'accounts', secrets: ['password'], register: true });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
