// Fills one platform package of uWebSockets.js from the upstream build the workspace pins
// (`uwebsockets`, a repackage of upstream uWS.js whose `source_commit` names the upstream commit):
// the binaries of that platform for the Node lines we support, the API's type declarations and the
// upstream licence. Run as each platform package's `prepare` script (pnpm install, pnpm pack), in
// that package's directory. The upstream package carries every platform and every Node ABI from
// 14 to 25 (54 binaries, 257 MB); a platform package carries one platform's three, 13-22 MB.
import { copyFileSync, existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Node's module ABI per supported line: 20 (115), 22 (127), 24 (137); the `engines` range. */
const SUPPORTED_ABIS = [115, 127, 137];

const here = process.cwd();
const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const [os] = manifest.os ?? [];
const [cpu] = manifest.cpu ?? [];
if (!os || !cpu) throw new Error(`${manifest.name}: package.json must name one os and one cpu`);

const upstream = dirname(createRequire(join(here, 'package.json')).resolve('uwebsockets/package.json'));

/** A hard link where the file system allows it (no second copy of 20 MB in a checkout). */
function place(from, to) {
  rmSync(to, { force: true });
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

for (const abi of SUPPORTED_ABIS) {
  const binary = `uws_${os}_${cpu}_${abi}.node`;
  const from = join(upstream, binary);
  if (!existsSync(from)) throw new Error(`${manifest.name}: the pinned uwebsockets has no ${binary}`);
  place(from, join(here, binary));
}
// The same declarations for require (CommonJS, .d.ts) and import (ESM, .d.mts), and upstream's
// ESM wrapper (named exports), pointed at this package's loader instead of upstream's uws.js.
place(join(upstream, 'index.d.ts'), join(here, 'index.d.ts'));
place(join(upstream, 'index.d.ts'), join(here, 'index.d.mts'));
const wrapper = readFileSync(join(upstream, 'ESM_wrapper.mjs'), 'utf8');
if (!wrapper.includes('from "./uws.js"'))
  throw new Error('upstream ESM_wrapper.mjs no longer imports ./uws.js');
rmSync(join(here, 'index.mjs'), { force: true });
writeFileSync(join(here, 'index.mjs'), wrapper.replace('from "./uws.js"', 'from "./index.js"'));
place(join(upstream, 'LICENSE'), join(here, 'LICENSE'));
// Ours, the same in every platform package: kept once, beside this script.
place(join(here, '..', 'loader.cjs'), join(here, 'index.js'));
place(join(here, '..', 'README.md'), join(here, 'README.md'));
