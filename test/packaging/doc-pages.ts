import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect } from 'vitest';
import { prebuiltUwsPackage } from '../../packages/engine/src/gateway/transport/choose.js';
import { commandReply, type Started } from './run-example.js';

/**
 * The pages whose examples test/packaging/doc-examples.test.ts checks, and what each of their
 * programs must do when it runs. Every JavaScript or TypeScript block of these pages is written
 * and, when TypeScript, type-checked; the runs below are the programs the pages tell users to run.
 */
export interface ServerRun {
  /** The command, as the page tells it. */
  readonly cmd: readonly string[];
  readonly env?: Record<string, string>;
  /** What the running server must do, checked once /healthz answers. */
  readonly check: (port: number, server: Started, dir: string) => Promise<void>;
}

export interface ProgramRun {
  readonly cmd: readonly string[];
  readonly env?: Record<string, string>;
  /** A server of another run of this page to start first (its index in `servers`). */
  readonly against?: number;
  readonly expectOutput?: RegExp;
}

export interface PageCheck {
  readonly page: string;
  /** Examples of other pages this page builds on, as its text says ("the server above"...). */
  readonly uses?: readonly { page: string; file: string }[];
  /** Other names the page says a file also works under (`server.mjs` saved as `server.mts`). */
  readonly variants?: Readonly<Record<string, string>>;
  /** Variants checked at run time only: a `.ts` file in this CommonJS project is not ESM to tsc. */
  readonly runtimeVariants?: Readonly<Record<string, string>>;
  /**
   * For a page that walks through one API in short blocks (a client made in the first, used in
   * the next): each unnamed TypeScript block is type-checked as a module of its own, with these
   * global declarations standing for what the page's text sets up around it. A block that declares
   * the same name shadows them.
   */
  readonly fragmentGlobals?: string;
  readonly servers?: readonly ServerRun[];
  readonly programs?: readonly ProgramRun[];
}

const hi = (expected: string) => async (port: number) => {
  expect(await commandReply(port, 'hi there')).toBe(expected);
};

/**
 * Whether this machine's uWebSockets.js platform package loads its binary here (the workspace's
 * copy of what the packed install holds): Node 20 does on glibc 2.27 and later, 22 and 24 need 2.38.
 */
function uwsLoadsHere(): boolean {
  const fromEngine = createRequire(new URL('../../packages/engine/package.json', import.meta.url));
  try {
    fromEngine(prebuiltUwsPackage());
    return true;
  } catch {
    return false;
  }
}

const engineReadme = 'packages/engine/README.md';
const mudReadme = 'packages/mud/README.md';

export const PAGES: readonly PageCheck[] = [
  {
    page: engineReadme,
    variants: { 'server.mts': 'server.mjs' },
    servers: [
      {
        cmd: ['node', 'server.mjs'],
        check: async (port, server) => {
          await hi('hi ann there')(port);
          const log = server.output();
          expect(log).toContain(`ws://localhost:${port}/ws`);
          expect(log).toMatch(/listening on 127\.0\.0\.1:/);
          expect(log).toMatch(/embedded store in \S*\.leviathan-data/);
          expect(log).toContain('development auth mode is ON');
          expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
          // `npm i` brought this platform's uWebSockets.js package, and the engine found it: it
          // runs natively where the binary loads, and elsewhere the log says why in one line.
          if (uwsLoadsHere()) expect(log).toContain('transport: uws, native uWebSockets.js');
          else expect(log).toMatch(/uWebSockets.js: uws_\w+\.node does not load: .*GLIBC/);
        },
      },
      { cmd: ['node', 'server.cjs'], check: hi('hi ann there') },
      { cmd: ['npx', 'tsx', 'server.mts'], check: hi('hi ann there') },
      {
        cmd: ['node', 'server.mjs'],
        env: { LEVIATHAN_GAME: './plaza.mjs' },
        check: async (port) => expect(await commandReply(port, 'cheer')).toBe('You cheer.'),
      },
      {
        cmd: ['npx', 'leviathan', 'serve', '--dev-auth', '--game', './hello-game.mjs'],
        check: hi('hi ann there'),
      },
    ],
  },
  {
    page: 'docs/engine.md',
    uses: [{ page: engineReadme, file: 'hello-game.mjs' }],
    servers: [
      { cmd: ['npx', 'tsx', 'embed.mts'], check: hi('hi ann there') },
      {
        cmd: ['npx', 'tsx', 'logging.mts'],
        check: async (port, _server, dir) => {
          await hi('hi ann there')(port);
          expect(readFileSync(join(dir, 'logs/game.log'), 'utf8')).toContain('"service":"my-game"');
        },
      },
    ],
    programs: [
      {
        cmd: ['npx', 'tsx', 'sign-token.mts'],
        env: { LEVIATHAN_HMAC_SECRET: 'a-secret-of-thirty-two-bytes-or-more!' },
        expectOutput: /^v1\.[\w-]+\.[\w-]+\n$/,
      },
    ],
  },
  {
    page: mudReadme,
    servers: [
      {
        cmd: ['npx', 'tsx', 'server.mts'],
        check: async (port) => {
          const page = await fetch(`http://127.0.0.1:${port}/`);
          expect(page.status).toBe(200);
          expect(await page.text()).toContain('<html');
          expect(await commandReply(port, 'look')).toContain('Fishmarket Square');
        },
      },
      {
        cmd: [
          'npx',
          'leviathan',
          'serve',
          '--dev-auth',
          '--game',
          '@leviathan/mud/game',
          '--game-options',
          '{"world":"./world","telnetPort":4000}',
          '--web-root',
          'node_modules/@leviathan/mud/web',
        ],
        check: async (port) => {
          expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
          expect(await commandReply(port, 'look')).toContain('Fishmarket Square');
        },
      },
    ],
  },
  {
    page: 'docs/mud.md',
    uses: [
      { page: mudReadme, file: 'world/world.yaml' },
      { page: mudReadme, file: 'world/zones/harbor.yaml' },
    ],
    servers: [
      {
        cmd: ['npx', 'tsx', 'server.mts'],
        check: async (port) => {
          expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
          expect(await commandReply(port, 'look')).toContain('Fishmarket Square');
        },
      },
    ],
  },
  {
    page: 'packages/loadgen/README.md',
    uses: [
      { page: engineReadme, file: 'hello-game.mjs' },
      { page: engineReadme, file: 'server.mjs' },
    ],
    runtimeVariants: { 'load/login.ts': 'load/login.mts' },
    servers: [{ cmd: ['node', 'server.mjs'], check: hi('hi ann there') }],
    programs: [
      {
        cmd: ['npx', 'leviathan-load', 'run', 'load/login.mts', '--progress', 'none'],
        against: 0,
        expectOutput: /checks/,
      },
      {
        cmd: ['npx', 'leviathan-load', 'run', 'load/login.ts', '--progress', 'none'],
        against: 0,
        expectOutput: /checks/,
      },
    ],
  },
  { page: 'docs/loadgen.md' },
  {
    page: 'packages/protocol/README.md',
    uses: [
      { page: engineReadme, file: 'hello-game.mjs' },
      { page: engineReadme, file: 'server.mjs' },
    ],
    servers: [{ cmd: ['node', 'server.mjs'], check: hi('hi ann there') }],
    programs: [{ cmd: ['npx', 'tsx', 'client.mts'], against: 0, expectOutput: /^#1: hi player1\s*$/m }],
  },
  {
    page: 'docs/configuration.md',
    programs: [
      {
        cmd: ['npx', 'leviathan', 'serve', '--print-config', '--config', 'leviathan.yaml'],
        env: {
          LEVIATHAN_HMAC_SECRET: 'a-secret-of-thirty-two-bytes-or-more!',
          LEVIATHAN_STORE_URL: 'postgres://leviathan:password@127.0.0.1:5432/leviathan',
        },
        expectOutput: /"host": "0\.0\.0\.0"[\s\S]*"kind": "postgres"/,
      },
    ],
  },
  // Type-checked only: they talk to a Proxmox VE cluster, run Ansible against hosts, or query a
  // Prometheus server; the snapshots example of docs/infra-sdk.md runs against the simulator.
  { page: 'packages/infra-sdk/README.md' },
  {
    page: 'docs/infra-sdk.md',
    programs: [{ cmd: ['npx', 'tsx', 'snapshots.mts'], expectOutput: /^\{ passed: true \} 2$/m }],
    // The fragments are ES modules: their globals must be the ESM declarations' types too.
    fragmentGlobals: [
      "type Sdk = typeof import('@leviathan/infra-sdk', { with: { 'resolution-mode': 'import' } });",
      "declare const pve: InstanceType<Sdk['ProxmoxClient']>;",
      'declare const baseUrl: string;',
      "declare const auth: ConstructorParameters<Sdk['ProxmoxClient']>[0]['auth'];",
      "declare const inventory: import('@leviathan/infra-sdk', { with: { 'resolution-mode': 'import' } }).Inventory;",
    ].join('\n'),
  },
  { page: 'docs/operations.md' },
  { page: 'docs/protocol.md' },
  { page: 'README.md' },
];

/**
 * Pages with JavaScript or TypeScript blocks that the test does not check, and why: their code
 * runs inside this repository, not in a project that installs the published packages.
 */
export const UNCHECKED_PAGES: Readonly<Record<string, string>> = {
  'examples/demo/README.md':
    'the demo game is a private workspace package, never published; its example runs under the workspace',
  'benchmarks/README.md': 'the benchmark harness is private; its example is a suite inside benchmarks/src',
};
