import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/engine-config.js';
import { createLogger } from './logger.js';

const SECRETS = {
  password: 'hunter2-password', // scan-secrets: allow a made-up secret that the redaction test must not find
  token: 'v1.signed-token-value',
  resume: 'resume-token-value',
  hmac: 'h'.repeat(32),
  dbPassword: 'db-pass-word',
  bearer: 'Bearer abc.def.ghi',
  cookie: 'session=cookie-value',
  hash: 'scrypt$N=16384$salt$hash-value',
};

function lineOf(fields: object): string {
  let line = '';
  createLogger({ destination: { write: (l: string) => (line = l) }, now: () => 1 }).warn(fields, 'x');
  return line;
}

describe('log redaction', () => {
  it('keeps every secret the engine could log out of the line, and the rest in it', () => {
    const config = resolveConfig({
      auth: { mode: 'dev' },
      store: { kind: 'postgres', url: `postgres://lev:${SECRETS.dbPassword}@db.internal:5432/game` },
    });
    const line = lineOf({
      config,
      request: {
        username: 'ann',
        token: SECRETS.token,
        password: SECRETS.password,
        remoteAddress: '10.0.0.1',
      },
      auth: { type: 'auth', username: 'ann', resume: SECRETS.resume },
      password: SECRETS.password,
      token: SECRETS.token,
      secret: SECRETS.hmac,
      options: { secret: SECRETS.hmac, previousSecret: SECRETS.hmac },
      headers: { authorization: SECRETS.bearer, cookie: SECRETS.cookie, 'user-agent': 'k6' },
      authorization: SECRETS.bearer,
      account: { username: 'ann', passwordHash: SECRETS.hash },
      url: `postgres://lev:${SECRETS.dbPassword}@db.internal/game`,
    });
    for (const [name, secret] of Object.entries(SECRETS)) expect(line, name).not.toContain(secret);
    const record = JSON.parse(line) as Record<string, Record<string, unknown>> & {
      config: { store: { url: string }; port: number };
    };
    expect(record.config.store.url).toBe('postgres://lev:***@db.internal:5432/game');
    expect(record.url).toBe('postgres://lev:***@db.internal/game');
    expect(record.request).toEqual({
      username: 'ann',
      token: '[Redacted]',
      password: '[Redacted]',
      remoteAddress: '10.0.0.1',
    });
    expect(record.headers).toEqual({ authorization: '[Redacted]', cookie: '[Redacted]', 'user-agent': 'k6' });
    expect(record.account).toEqual({ username: 'ann', passwordHash: '[Redacted]' });
    expect(record.config.port).toBe(config.port);
    expect(record.msg).toBe('x');
  });

  it('keeps a URL readable without its password, and a bare path as it is', () => {
    const url = (value: string) => (JSON.parse(lineOf({ url: value })) as { url: string }).url;
    expect(url('postgres://lev:pw@db/game?sslpassword=x&sslmode=require')).toBe(
      'postgres://lev:***@db/game?sslpassword=***&sslmode=require',
    );
    expect(url('/metrics')).toBe('/metrics');
    expect(url('lev:pw@db/game')).toBe('[Redacted]');
  });

  it('never changes the object it was given', () => {
    const request = { username: 'ann', password: SECRETS.password };
    lineOf({ request });
    expect(request.password).toBe(SECRETS.password);
  });

  it('applies to child bindings too', () => {
    let line = '';
    createLogger({ destination: { write: (l: string) => (line = l) } })
      .child({ token: SECRETS.token, thread: 'gateway-0' })
      .info('bound');
    expect(line).not.toContain(SECRETS.token);
    expect(line).toContain('"thread":"gateway-0"');
  });
});
