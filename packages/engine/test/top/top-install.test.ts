import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Ink and React are optional: `leviathan serve` must never load them, and `leviathan top` must say
 * how to install them when they are not there. Checked on the build (run
 * `pnpm --filter @leviathan/engine build` first), as it is published.
 */
const ENGINE = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ENGINE, 'dist/cli/main.js');
const run = promisify(execFile);

/** Every file `entry` imports statically (import … from / export … from), transitively. */
function staticImports(
  entry: string,
  seen = new Set<string>(),
): { files: Set<string>; packages: Set<string> } {
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(
      /^(?:import|export)\s[^;'"]*?from\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm,
    )) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: seen, packages };
}

describe('leviathan top: ink and react stay optional', () => {
  beforeAll(() => {
    if (!existsSync(MAIN))
      throw new Error(`${MAIN} is missing: run pnpm --filter @leviathan/engine build first`);
  });

  it('the CLI (and so `leviathan serve`) imports neither ink nor react until `top` runs', () => {
    const { files, packages } = staticImports(MAIN);
    expect(files.size).toBeGreaterThan(1);
    expect([...packages].filter((p) => /^(ink|react)(\/|$)/.test(p))).toEqual([]);
    // They are in the build, behind a dynamic import, and not bundled into it.
    const chunks = readdirSync(join(ENGINE, 'dist')).filter((f) => f.endsWith('.js'));
    const withInk = chunks.filter((f) =>
      /from ["']ink["']/.test(readFileSync(join(ENGINE, 'dist', f), 'utf8')),
    );
    expect(withInk.length).toBe(1);
    expect(withInk[0]).toMatch(/^run-top-/);
  });

  describe('an install without them', () => {
    let dir: string;
    beforeAll(() => {
      // The built engine with every dependency but the optional ones: ink, react and infra-sdk
      // (as `npm install --omit=optional`).
      dir = mkdtempSync(join(tmpdir(), 'leviathan-no-ink-'));
      cpSync(join(ENGINE, 'bin'), join(dir, 'bin'), { recursive: true });
      cpSync(join(ENGINE, 'dist'), join(dir, 'dist'), { recursive: true });
      cpSync(join(ENGINE, 'package.json'), join(dir, 'package.json'));
      mkdirSync(join(dir, 'node_modules', '@leviathan'), { recursive: true });
      for (const name of readdirSync(join(ENGINE, 'node_modules'))) {
        if (name === 'ink' || name === 'react' || name === '@leviathan' || name.startsWith('.')) continue;
        symlinkSync(join(ENGINE, 'node_modules', name), join(dir, 'node_modules', name));
      }
      for (const name of readdirSync(join(ENGINE, 'node_modules', '@leviathan'))) {
        if (name === 'infra-sdk') continue;
        symlinkSync(
          join(ENGINE, 'node_modules', '@leviathan', name),
          join(dir, 'node_modules', '@leviathan', name),
        );
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('still runs the CLI, and `top` says how to install them (exit code 3)', async () => {
      const help = await run(process.execPath, [join(dir, 'bin/leviathan.js'), '--help']);
      expect(help.stdout).toMatch(/\n {2}top +Watch a running engine/);
      const top = await run(process.execPath, [join(dir, 'bin/leviathan.js'), 'top', '127.0.0.1:1']).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(top.code).toBe(3);
      expect(top.stderr).toMatch(
        /^leviathan top: ink and react are not installed here .*; install them beside the engine: npm install ink@6\.8\.0 react@19\.3\.1/,
      );
      expect(top.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('and `top --prometheus` says how to install its Prometheus client (exit code 3)', async () => {
      const cli = join(dir, 'bin/leviathan.js');
      const top = await run(process.execPath, [cli, 'top', '--prometheus', '127.0.0.1:1']).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(top.code).toBe(3);
      expect(top.stderr).toMatch(
        /^leviathan top: @leviathan\/infra-sdk is not installed here .*; install it beside the engine: npm install @leviathan\/infra-sdk/,
      );
    });
  });
});
