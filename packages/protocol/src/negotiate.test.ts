import { describe, expect, it } from 'vitest';
import { CloseCode } from './close-codes.js';
import { ErrorCode } from './error-codes.js';
import { UnsupportedVersionError } from './errors.js';
import { negotiate } from './negotiate.js';
import { ALL_CAPABILITIES, Capability } from './version.js';

describe('negotiate', () => {
  it('gives version 1 and no capabilities to the seed k6 auth', () => {
    expect(negotiate({ type: 'auth', username: 'player1', token: 'test-token' } as never)).toEqual({
      version: 1,
      capabilities: [],
    });
  });

  it('grants the capabilities asked for that the server offers, in the server order, once', () => {
    const result = negotiate({ version: 1, capabilities: ['events', 'future-thing', 'batch', 'events'] });
    expect(result).toEqual({
      version: 1,
      capabilities: [Capability.BatchedFrames, Capability.StructuredEvents],
    });
  });

  it('grants only what this server offers', () => {
    const server = { versions: [1], capabilities: [Capability.StructuredEvents] };
    expect(negotiate({ capabilities: ['batch', 'events'] }, server)).toEqual({
      version: 1,
      capabilities: ['events'],
    });
    expect(negotiate({ capabilities: ['batch'] }, { versions: [1], capabilities: [] })).toEqual({
      version: 1,
      capabilities: [],
    });
  });

  it('refuses a version the server does not speak with a fatal error listing those it does', () => {
    const result = negotiate({ version: 2 });
    expect(result).toBeInstanceOf(UnsupportedVersionError);
    const err = result as UnsupportedVersionError;
    expect(err.code).toBe(ErrorCode.UnsupportedVersion);
    expect(err.closeCode).toBe(CloseCode.UnsupportedVersion);
    expect(err.supported).toEqual([1]);
    // A server that dropped v1 refuses a client that sends no version.
    expect(negotiate({}, { versions: [2, 3], capabilities: ALL_CAPABILITIES })).toBeInstanceOf(
      UnsupportedVersionError,
    );
    expect(negotiate({ version: 3 }, { versions: [2, 3], capabilities: ALL_CAPABILITIES })).toEqual({
      version: 3,
      capabilities: [],
    });
  });
});
