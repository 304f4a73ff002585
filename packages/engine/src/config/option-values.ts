import type { OptionSpec } from './option-spec.js';

/**
 * Checking and parsing of single option values. Typed values (from code or a config file) are
 * checked as they are; strings (from the environment or a flag) are parsed first. Both return a
 * result instead of throwing so that every problem can be reported at once.
 */

export type ValueResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

const ok = (value: unknown): ValueResult => ({ ok: true, value });
const fail = (message: string): ValueResult => ({ ok: false, message });

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}...` : json;
  } catch {
    return String(value);
  }
}

function range(spec: OptionSpec): string {
  if (spec.min !== undefined && spec.max !== undefined) return ` from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return ` of at least ${spec.min}`;
  if (spec.max !== undefined) return ` of at most ${spec.max}`;
  return '';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Checks a typed value against its option; returns the value to use (copied when an object). */
export function checkValue(spec: OptionSpec, value: unknown): ValueResult {
  if (value === undefined) {
    return spec.optional ? ok(undefined) : fail('must be set');
  }
  switch (spec.type) {
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return fail(
          `must be ${spec.type === 'integer' ? 'an integer' : 'a number'}${range(spec)}, got ${show(value)}`,
        );
      }
      if (spec.type === 'integer' && !Number.isInteger(value)) {
        return fail(`must be an integer${range(spec)}, got ${show(value)}`);
      }
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        return fail(
          `must be ${spec.type === 'integer' ? 'an integer' : 'a number'}${range(spec)}, got ${value}`,
        );
      }
      if (spec.key === 'idleTimeoutSec' && value !== 0 && value < 8) {
        // uWS refuses idle timeouts below 8 s (it pings at half the timeout, at 4 s granularity).
        return fail(`must be 0 (off) or from 8 to 960, got ${value}`);
      }
      return ok(value);
    }
    case 'boolean':
      return typeof value === 'boolean' ? ok(value) : fail(`must be true or false, got ${show(value)}`);
    case 'string':
      if (typeof value !== 'string') return fail(`must be a string, got ${show(value)}`);
      if (value.length === 0) return spec.optional ? ok(undefined) : fail('must not be empty');
      return ok(value);
    case 'enum':
      if (typeof value !== 'string' || !spec.values?.includes(value)) {
        return fail(`must be one of ${spec.values?.join(', ')}, got ${show(value)}`);
      }
      return ok(value);
    case 'json-object': {
      if (!isPlainObject(value)) return fail(`must be an object, got ${show(value)}`);
      try {
        // A deep copy that also proves the value survives JSON and structured cloning to workers.
        const copy = JSON.parse(JSON.stringify(value), (k, v) => {
          if (FORBIDDEN_KEYS.has(k)) throw new Error(`forbidden key "${k}"`);
          return v;
        }) as unknown;
        return ok(copy);
      } catch (error) {
        return fail(`must be plain JSON data: ${(error as Error).message}`);
      }
    }
    case 'zone-map': {
      if (!isPlainObject(value))
        return fail(`must be an object of zone id to shard index, got ${show(value)}`);
      const out: Record<string, number> = Object.create(null);
      for (const [zone, shard] of Object.entries(value)) {
        if (FORBIDDEN_KEYS.has(zone) || zone.length === 0)
          return fail(`has an invalid zone id ${show(zone)}`);
        if (typeof shard !== 'number' || !Number.isInteger(shard) || shard < 0) {
          return fail(
            `zone ${show(zone)} must map to a shard index (an integer of at least 0), got ${show(shard)}`,
          );
        }
        out[zone] = shard;
      }
      return ok({ ...out });
    }
  }
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parses a string (environment variable or flag value) for an option, then checks it. */
export function parseValue(spec: OptionSpec, raw: string): ValueResult {
  const text = raw.trim();
  switch (spec.type) {
    case 'integer':
      if (!INTEGER.test(text)) return fail(`must be an integer${range(spec)}, got ${show(raw)}`);
      return checkValue(spec, Number(text));
    case 'number':
      if (!NUMBER.test(text)) return fail(`must be a number${range(spec)}, got ${show(raw)}`);
      return checkValue(spec, Number(text));
    case 'boolean': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return ok(true);
      if (FALSE.has(lower)) return ok(false);
      return fail(`must be true or false, got ${show(raw)}`);
    }
    case 'string':
    case 'enum':
      return checkValue(spec, text);
    case 'json-object': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return fail(`must be a JSON object, got ${show(raw)}`);
      }
      return checkValue(spec, parsed);
    }
    case 'zone-map': {
      if (text === '') return ok({});
      if (text.startsWith('{')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return fail(`must be JSON or zone=shard pairs, got ${show(raw)}`);
        }
        return checkValue(spec, parsed);
      }
      const map: Record<string, unknown> = {};
      for (const pair of text.split(',')) {
        const eq = pair.indexOf('=');
        const zone = pair.slice(0, eq).trim();
        const shard = pair.slice(eq + 1).trim();
        if (eq < 0 || zone === '' || !INTEGER.test(shard)) {
          return fail(`must be zone=shard pairs separated by commas (town=0,forest=1), got ${show(raw)}`);
        }
        map[zone] = Number(shard);
      }
      return checkValue(spec, map);
    }
  }
}
