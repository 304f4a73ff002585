/**
 * The URL of a file of this package, given its path relative to the package's source root
 * (`shard/shard-worker.js`). It works wherever the calling code ends up: in `src/` (vitest, tsx:
 * the file is `.ts`), or bundled by tsup into `dist/index.js` or `dist/shard/shard-worker.js`
 * (tsup.config.ts emits each worker entry at the same relative path under `dist/`).
 */
export function engineFile(relative: string, from: string = import.meta.url): URL {
  const src = from.lastIndexOf('/src/');
  const dist = from.lastIndexOf('/dist/');
  if (src > dist) return new URL(relative.replace(/\.js$/, '.ts'), `${from.slice(0, src)}/src/`);
  if (dist >= 0) return new URL(relative, `${from.slice(0, dist)}/dist/`);
  return new URL(relative, from);
}
