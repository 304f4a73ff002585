import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_OPTIONS } from './config-options.js';

/**
 * The JSDoc of `EngineConfig` (what an embedder reads in an editor) and the option table (which
 * drives parsing, --help and docs/configuration.md) are written separately; this keeps their
 * defaults in step.
 */

const source = readFileSync(new URL('./engine-config.ts', import.meta.url), 'utf8');

/** Interface name → key prefix of its fields. RateConfig's defaults sit on the fields that use it. */
const PREFIX: Record<string, string> = {
  EngineConfig: '',
  TlsConfig: 'tls.',
  AuthConfig: 'auth.',
  StoreConfig: 'store.',
  ClusterConfig: 'cluster.',
  LogConfig: 'log.',
  DashboardConfig: 'dashboard.',
  JobsConfig: 'jobs.',
  SessionsConfig: 'sessions.',
};

/** Every `@default` in engine-config.ts, by dotted key. */
function documentedDefaults(): Map<string, string> {
  const out = new Map<string, string>();
  const iface = /export interface (\w+)[^{]*\{([\s\S]*?)\n\}/g;
  for (const [, name, body] of source.matchAll(iface)) {
    const prefix = PREFIX[name!];
    if (prefix === undefined) continue;
    const field = /\/\*\*([\s\S]*?)\*\/\s*readonly (\w+)\??:/g;
    for (const [, doc, key] of body!.matchAll(field)) {
      const match = /@default (.*)/.exec(doc!);
      if (match) out.set(prefix + key, match[1]!.trim());
    }
  }
  return out;
}

/** `'hmac'` → `"hmac"`, `undefined (plain ...)` → `(unset)`. */
function normalize(text: string): string {
  if (text.startsWith('undefined')) return '(unset)';
  return text.replace(/^'(.*)'$/, '"$1"');
}

describe('EngineConfig JSDoc', () => {
  const documented = documentedDefaults();

  it('gives every option the default the option table has', () => {
    for (const option of CONFIG_OPTIONS) {
      const parts = option.key.split('.');
      const leaf = documented.get(option.key);
      if (leaf !== undefined) {
        expect(normalize(leaf), option.key).toBe(option.defaultText);
        continue;
      }
      // A field of a RateConfig: its default is documented on the parent, `{ perSecond: 20, burst: 40 }`.
      const parent = documented.get(parts.slice(0, -1).join('.'));
      expect(parent, `${option.key} has no @default in engine-config.ts`).toBeDefined();
      expect(parent, option.key).toContain(`${parts.at(-1)}: ${option.defaultText}`);
    }
  });

  it('documents no default for a key the option table lacks', () => {
    const keys = new Set(CONFIG_OPTIONS.map((o) => o.key));
    const groups = new Set(CONFIG_OPTIONS.map((o) => o.key.split('.').slice(0, -1).join('.')));
    for (const key of documented.keys()) {
      expect(keys.has(key) || groups.has(key), `${key} is documented but not an option`).toBe(true);
    }
  });
});
