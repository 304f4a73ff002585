/**
 * Refreshes test/fixtures/gitlab-ci-schema.json, GitLab's CI schema
 * (app/assets/javascripts/editor/schema/ci.json of GitLab CE, MIT), from the npm registry: only
 * the registry is reachable from the project's machines, and gitlab-ci-local (MIT) bundles the
 * schema it fetches from GitLab's default branch at build time. The bundle is minified, so the
 * schema is the object literal that starts with its `$id`; it is read before gitlab-ci-local's
 * src/schema.ts relaxes it at run time (those deletions and additions are statements, not part of
 * the literal), so the fixture is GitLab's schema unchanged.
 *
 *   pnpm exec tsx scripts/vendor-gitlab-ci-schema.ts 4.75.1
 *
 * then update the version and checksum in test/fixtures/README.md.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

const version = process.argv[2];
if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version)) {
  console.error('usage: tsx scripts/vendor-gitlab-ci-schema.ts <gitlab-ci-local version, e.g. 4.75.1>');
  process.exit(2);
}
const START = '{$schema:"http://json-schema.org/draft-07/schema#",$id:"https://gitlab.com/.gitlab-ci.yml"';

/** The end of the object literal opened at `start`: braces counted outside string literals. */
function literalEnd(src: string, start: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < src.length; i++) {
    const ch = src[i] as string;
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i + 1;
  }
  throw new Error('unterminated schema literal');
}

const dir = mkdtempSync(join(tmpdir(), 'gitlab-ci-schema-'));
try {
  execFileSync('npm', ['pack', `gitlab-ci-local@${version}`, '--pack-destination', dir], { stdio: 'ignore' });
  execFileSync('tar', ['-xzf', join(dir, `gitlab-ci-local-${version}.tgz`), '-C', dir]);
  const bundle = readFileSync(join(dir, 'package/dist/index.js'), 'utf8');
  const start = bundle.indexOf(START);
  if (start < 0) throw new Error(`no GitLab CI schema literal in gitlab-ci-local@${version}`);
  // A literal of strings, numbers and booleans (minified as !0/!1): evaluated with no globals.
  const schema = runInNewContext(`(${bundle.slice(start, literalEnd(bundle, start))})`, {});
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  const out = new URL('../test/fixtures/gitlab-ci-schema.json', import.meta.url);
  writeFileSync(out, text);
  console.log(`gitlab-ci-local@${version}: sha256 ${createHash('sha256').update(text).digest('hex')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
