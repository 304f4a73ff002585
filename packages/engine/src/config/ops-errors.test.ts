import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AuthSecretError,
  AuthTokenSignError,
  AuthVerifierError,
  CliUsageError,
  ConfigFileError,
  ConfigInvalidError,
  EngineError,
  JobFailedError,
  JobPoolClosedError,
  JobQueueFullError,
  JobTaskInvalidError,
} from '../errors.js';

/** One instance of every error class of the operations block (config, auth, jobs, CLI). */
const cause = new Error('root cause');
const errors: EngineError[] = [
  new ConfigInvalidError([
    { key: 'port', message: 'bad', source: 'env', origin: 'environment variable LEVIATHAN_PORT' },
  ]),
  new ConfigFileError('/x.yaml', 'not found', { cause }),
  new AuthSecretError('missing'),
  new AuthTokenSignError('bad username'),
  new AuthVerifierError('no verify()', { cause }),
  new JobQueueFullError(10),
  new JobFailedError('find-path', { cause }),
  new JobTaskInvalidError('x', 'has no default'),
  new JobPoolClosedError(),
  new CliUsageError('unknown command'),
];

describe('operations error classes', () => {
  it('extend EngineError with a stable, unique, documented code', () => {
    const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    const codes = errors.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const error of errors) {
      expect(error).toBeInstanceOf(EngineError);
      expect(error.code).toMatch(/^LEV_ERR_(CONFIG|AUTH|JOB|CLI)_[A-Z_]+$/);
      expect(error.name).toBe(error.constructor.name);
      expect(docs, `${error.code} is not in docs/errors.md`).toContain(`| \`${error.code}\``);
    }
  });

  it('chain causes', () => {
    expect(errors.filter((e) => e.cause === cause)).toHaveLength(3);
    expect(new JobFailedError('j', { cause: new RangeError('boom') }).message).toBe('job j failed: boom');
  });

  it('name every config problem, with its source, in one message', () => {
    const error = new ConfigInvalidError([
      {
        key: 'port',
        message: 'must be an integer',
        source: 'env',
        origin: 'environment variable LEVIATHAN_PORT',
      },
      { key: 'tickHz', message: 'must be a number', source: 'flag', origin: 'flag --tick-hz' },
    ]);
    expect(error.message).toBe(
      'invalid configuration:\n  port: must be an integer (from environment variable LEVIATHAN_PORT)\n  tickHz: must be a number (from flag --tick-hz)',
    );
  });
});
