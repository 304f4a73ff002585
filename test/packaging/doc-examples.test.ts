import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_LANGS, type DocBlock, docBlocks, TS_LANGS } from './doc-blocks.js';
import { PAGES, type PageCheck, UNCHECKED_PAGES } from './doc-pages.js';
import {
  createPackedProject,
  type PackedProject,
  pinnedVersion,
  publishedPackages,
} from './packed-project.js';
import { freePort, runToEnd, start, waitHealthy } from './run-example.js';

/**
 * The examples of the READMEs and the docs pages, as a new user runs them: the published
 * packages packed with `pnpm pack`, installed with a real `npm install` into a fresh `npm init -y`
 * project (CommonJS, as npm makes it), TypeScript checked with `tsc --noEmit` under the
 * tsconfig.json `tsc --init` writes, and the programs run with node or tsx.
 *
 * A block is an example when its first line is a comment naming its file (`// server.mjs: ...`,
 * `# world/world.yaml`); the test writes it there, in one directory per page. Every JavaScript
 * or TypeScript block of the pages (doc-pages.ts) must be one, except the few marked `excerpt` after the
 * language (```js excerpt), which are parts of a program and say so. The examples use the
 * engine's default port 8080 and the MUD's telnet port 4000; the test gives each page free ports
 * instead, in the files and through LEVIATHAN_PORT.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

/** What the docs tell users to install beside the packages, at the versions the workspace pins. */
const EXTRAS = ['typescript', 'tsx', '@types/node', 'undici', 'pino'];
/**
 * What `npm i typescript` installs today (`npm view typescript dist-tags`): the published types
 * must check under it too, installed beside the pinned one under another name.
 */
const LATEST_TYPESCRIPT = 'typescript-latest@npm:typescript@7.0.2';
/** The two TypeScripts the pages and the published types are checked with, each run by its path. */
const TYPESCRIPTS = [
  { typescript: 'the pinned TypeScript', bin: 'typescript' },
  { typescript: 'the latest TypeScript', bin: 'typescript-latest' },
] as const;
const tscOf = (bin: string) => join(project.dir, 'node_modules', bin, 'bin', 'tsc');

const slug = (page: string) => page.replace(/\.md$/, '').replace(/[^\w]+/g, '-');
const isCode = (b: DocBlock) => CODE_LANGS.has(b.lang);
const isExcerpt = (b: DocBlock) => /^```\S+\s+excerpt\b/.test(readLine(b.page, b.line));
/** The unnamed TypeScript blocks of a page of fragments, each checked as a module of its own. */
const fragmentsOf = (check: PageCheck) =>
  check.fragmentGlobals === undefined
    ? []
    : docBlocks(root, check.page).filter(
        (b) => TS_LANGS.has(b.lang) && b.file === undefined && !isExcerpt(b),
      );
const lines = new Map<string, string[]>();
function readLine(page: string, line: number): string {
  if (!lines.has(page)) lines.set(page, readFileSync(join(root, page), 'utf8').split('\n'));
  return lines.get(page)![line - 1]!.trim();
}

let project: PackedProject;
/** The errors of `tsc --noEmit` over all pages, each starting with its file's path. */
const tscErrors: string[] = [];
const ports = new Map<string, { http: number; telnet: number }>();

/** Gives the examples this page's ports instead of the defaults they show. */
function localize(text: string, page: string): string {
  const p = ports.get(page)!;
  return text
    .replace(/\b8080\b/g, String(p.http))
    .replace(/(telnetPort["']?\s*:\s*)4000\b/g, `$1${p.telnet}`);
}

/**
 * A page's command as the test runs it: its ports, and `npx tool` as the project's own
 * node_modules/.bin/tool, which is what npx runs here, without npx between the test and the
 * process (npx, stopped with SIGTERM, exits by the signal and leaves its child running).
 */
function command(cmd: readonly string[], page: string): string[] {
  const args = cmd.map((a) => localize(a, page));
  return args[0] === 'npx' ? [join(project.dir, 'node_modules', '.bin', args[1]!), ...args.slice(2)] : args;
}

function pageDir(page: string): string {
  return join(project.dir, 'pages', slug(page));
}

function blockOf(page: string, file: string): DocBlock {
  const block = docBlocks(root, page).find((b) => b.file === file);
  if (!block) throw new Error(`${page} has no example ${file}`);
  return block;
}

function writeExample(dir: string, file: string, code: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), code);
}

beforeAll(async () => {
  const extras = [...EXTRAS.map((name) => `${name}@${pinnedVersion(root, name)}`), LATEST_TYPESCRIPT];
  project = createPackedProject(root, extras, 'typescript-latest');
  // tsc --init's own advice for a Node.js project: `"types": ["node"]`.
  const tsconfig = readFileSync(join(project.dir, 'tsconfig.json'), 'utf8').replace(
    /"types": \[\],/,
    '"types": ["node"],',
  );
  for (const check of PAGES) {
    ports.set(check.page, { http: await freePort(), telnet: await freePort() });
    const dir = pageDir(check.page);
    mkdirSync(dir, { recursive: true });
    cpSync(join(project.dir, 'package.json'), join(dir, 'package.json'));
    writeFileSync(join(dir, 'tsconfig.json'), tsconfig);
    symlinkSync(join(project.dir, 'node_modules'), join(dir, 'node_modules'), 'dir');
    for (const used of check.uses ?? []) {
      writeExample(dir, used.file, localize(blockOf(used.page, used.file).code, check.page));
    }
    for (const block of docBlocks(root, check.page)) {
      if (block.file !== undefined) writeExample(dir, block.file, localize(block.code, check.page));
    }
    for (const [name, of] of Object.entries(check.variants ?? {})) {
      writeExample(dir, name, localize(blockOf(check.page, of).code, check.page));
    }
    // Global, so visible to every page of the one tsc run below: the names are the page's own
    // (`pve`, ...), and a module that declares or imports one shadows it.
    if (check.fragmentGlobals !== undefined) writeExample(dir, 'globals.d.ts', `${check.fragmentGlobals}\n`);
    for (const block of fragmentsOf(check)) writeExample(dir, `fragment-${block.line}.mts`, block.code);
  }
  // One tsc run over every page's directory (the same tsconfig.json as each page's), errors
  // sorted by page afterwards: a third of the time of one run per page.
  const pages = join(project.dir, 'pages');
  cpSync(join(project.dir, 'package.json'), join(pages, 'package.json'));
  writeFileSync(join(pages, 'tsconfig.json'), tsconfig);
  symlinkSync(join(project.dir, 'node_modules'), join(pages, 'node_modules'), 'dir');
  // Under the pinned TypeScript and under what `npm i typescript` installs today, each by its own
  // path: both packages install a `tsc`, and which one `npx tsc` would run is not ours to choose.
  for (const { typescript, bin } of TYPESCRIPTS) {
    let output = '';
    try {
      output = project.run('node', [tscOf(bin), '--noEmit', '-p', 'tsconfig.json'], pages);
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    // An error is a line naming its file, followed by indented lines that explain it.
    for (const line of output.split('\n').filter((l) => l !== '')) {
      if (/^\s/.test(line) && tscErrors.length > 0) tscErrors[tscErrors.length - 1] += `\n${line}`;
      else tscErrors.push(`${line} (${typescript})`);
    }
  }
}, 600_000);

afterAll(() => {
  if (project !== undefined && !process.env.LEVIATHAN_KEEP_DOCS_PROJECT) {
    rmSync(project.dir, { recursive: true, force: true });
  }
});

it('tsc has no error outside the pages (a broken tsconfig.json, no input files)', () => {
  const slugs = PAGES.map((p) => `${slug(p.page)}/`);
  expect(tscErrors.filter((e) => !slugs.some((s) => e.startsWith(s)))).toEqual([]);
});

it('checks every page with JavaScript or TypeScript blocks, or says why not', () => {
  const tracked = execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((page) => page !== '' && !page.startsWith('.changeset/') && !page.endsWith('CHANGELOG.md'));
  const withCode = tracked.filter((page) => docBlocks(root, page).some(isCode));
  const listed = new Set([...PAGES.map((p) => p.page), ...Object.keys(UNCHECKED_PAGES)]);
  expect(withCode.filter((page) => !listed.has(page))).toEqual([]);
});

describe.each(PAGES)('$page', (check) => {
  it('has every code block as a file example, a fragment or a marked excerpt', () => {
    const fragments = new Set(fragmentsOf(check).map((b) => b.line));
    const loose = docBlocks(root, check.page).filter(
      (b) => isCode(b) && b.file === undefined && !isExcerpt(b) && !fragments.has(b.line),
    );
    expect(loose.map((b) => `${b.page}:${b.line}`)).toEqual([]);
  });

  it('type-checks its TypeScript examples with tsc --noEmit', () => {
    expect(tscErrors.filter((e) => e.startsWith(`${slug(check.page)}/`))).toEqual([]);
  });

  it.each((check.servers ?? []).map((s, i) => ({ ...s, i, name: s.cmd.join(' ') })))(
    'serves: $name',
    async (run) => {
      const dir = pageDir(check.page);
      const port = ports.get(check.page)!.http;
      const cmd = command(run.cmd, check.page);
      const server = start(cmd[0]!, cmd.slice(1), dir, { LEVIATHAN_PORT: String(port), ...run.env });
      try {
        await waitHealthy(server, port);
        await run.check(port, server, dir);
      } finally {
        expect(await server.stop(), server.output()).toBe(0);
      }
    },
    180_000,
  );

  it.each((check.programs ?? []).map((p) => ({ ...p, name: p.cmd.join(' ') })))(
    'runs: $name',
    async (run) => {
      const dir = pageDir(check.page);
      for (const [name, of] of Object.entries(check.runtimeVariants ?? {})) {
        if (!existsSync(join(dir, name)))
          writeExample(dir, name, localize(blockOf(check.page, of).code, check.page));
      }
      const port = ports.get(check.page)!.http;
      const serverCmd =
        run.against === undefined ? undefined : command(check.servers![run.against]!.cmd, check.page);
      const server =
        serverCmd && start(serverCmd[0]!, serverCmd.slice(1), dir, { LEVIATHAN_PORT: String(port) });
      try {
        if (server) await waitHealthy(server, port);
        const env = { LEVIATHAN_URL: `ws://localhost:${port}/ws`, ...run.env };
        const cmd = command(run.cmd, check.page);
        const { code, output } = await runToEnd(cmd[0]!, cmd.slice(1), dir, env);
        expect(code, output).toBe(0);
        if (run.expectOutput) expect(output).toMatch(run.expectOutput);
      } finally {
        await server?.stop();
      }
    },
    180_000,
  );
});

/**
 * Every entry point of every package, imported from an ES module and from CommonJS, checked under
 * the tsconfig.json exactly as `tsc --init` writes it (`"types": []`, strict, nodenext) with the
 * packages' own declarations checked too (`--skipLibCheck false`): a user needs no extra flag.
 */
describe('the published types, under tsc --init', () => {
  const typesDir = () => join(project.dir, 'pages', 'types');
  beforeAll(() => {
    const entries = publishedPackages(root).flatMap(({ dir, name }) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        exports: Record<string, unknown>;
      };
      return Object.entries(manifest.exports)
        .filter(([, value]) => typeof value === 'object')
        .map(([entry]) => (entry === '.' ? name : `${name}/${entry.slice(2)}`));
    });
    const dir = typesDir();
    mkdirSync(dir, { recursive: true });
    cpSync(join(project.dir, 'package.json'), join(dir, 'package.json'));
    cpSync(join(project.dir, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    symlinkSync(join(project.dir, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const names = entries.map((_, i) => `m${i}`);
    writeFileSync(
      join(dir, 'entries.mts'),
      `${entries.map((e, i) => `import * as ${names[i]} from '${e}';`).join('\n')}\nconsole.log(${names.join(', ')});\n`,
    );
    writeFileSync(
      join(dir, 'entries.cts'),
      `${entries.map((e, i) => `import ${names[i]} = require('${e}');`).join('\n')}\nconsole.log(${names.join(', ')});\n`,
    );
  });

  it.each(TYPESCRIPTS)(
    'check with $typescript',
    ({ bin }) => {
      let output = '';
      try {
        output = project.run(
          'node',
          [tscOf(bin), '--noEmit', '--skipLibCheck', 'false', '-p', 'tsconfig.json'],
          typesDir(),
        );
      } catch (e) {
        output = String((e as { stdout?: string }).stdout ?? e);
      }
      expect(output).toBe('');
    },
    120_000,
  );
});
