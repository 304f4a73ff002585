import { readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Largest file served, in bytes: the web client is small; this is not a file server. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/**
 * The web client's files, read once and kept in memory (it is a few small files; reading from
 * disk per request would need async I/O and onAborted on the gateway's event loop). Paths are
 * resolved inside `root` only: `..`, encoded traversal and symlinks out of it give a 404.
 */
export class StaticFiles {
  readonly #root: string;
  readonly #cache = new Map<string, StaticFile | null>();

  constructor(root: string) {
    this.#root = realpathSync(resolve(root));
  }

  get(urlPath: string): StaticFile | undefined {
    const cached = this.#cache.get(urlPath);
    if (cached !== undefined) return cached ?? undefined;
    const file = this.#load(urlPath);
    if (this.#cache.size < 1000) this.#cache.set(urlPath, file);
    return file ?? undefined;
  }

  #load(urlPath: string): StaticFile | null {
    let path: string;
    try {
      path = decodeURIComponent(urlPath.split('?')[0] ?? '/');
    } catch {
      return null;
    }
    if (path.includes('\0')) return null;
    if (path.endsWith('/')) path += 'index.html';
    const full = resolve(join(this.#root, path));
    if (full !== this.#root && !full.startsWith(this.#root + sep)) return null;
    try {
      const real = realpathSync(full);
      if (!real.startsWith(this.#root + sep)) return null;
      const stat = statSync(real);
      if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return null;
      return {
        body: readFileSync(real),
        type: TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
      };
    } catch {
      return null;
    }
  }
}
