import { describe, expect, it } from 'vitest';
import { redactConfig, redactUrl } from './redact-config.js';
import { resolveConfig } from './resolve-config.js';

describe('redactUrl', () => {
  it('hides the password and secret-looking query parameters', () => {
    expect(redactUrl('postgres://lev:hunter2@127.0.0.1:5432/lev')).toBe(
      'postgres://lev:***@127.0.0.1:5432/lev',
    );
    expect(redactUrl('postgres://127.0.0.1/lev?sslmode=require&password=hunter2')).toBe(
      'postgres://127.0.0.1/lev?sslmode=require&password=***',
    );
    expect(redactUrl('postgres://lev@127.0.0.1/lev')).toBe('postgres://lev@127.0.0.1/lev');
  });

  it('hides a URL it cannot parse entirely, since it may hold anything', () => {
    expect(redactUrl('not a url: hunter2')).toBe('***');
  });
});

describe('redactConfig', () => {
  it('redacts store.url and leaves the rest as is', () => {
    const config = resolveConfig(
      { auth: { mode: 'dev' }, store: { kind: 'postgres', url: 'postgres://lev:hunter2@127.0.0.1/lev' } },
      { env: {} },
    );
    const safe = redactConfig(config);
    expect(safe.store.url).toBe('postgres://lev:***@127.0.0.1/lev');
    expect(JSON.stringify(safe)).not.toContain('hunter2');
    expect({ ...safe, store: config.store }).toEqual(config);
    const noUrl = resolveConfig({ auth: { mode: 'dev' } }, { env: {} });
    expect(redactConfig(noUrl)).toBe(noUrl);
  });
});
