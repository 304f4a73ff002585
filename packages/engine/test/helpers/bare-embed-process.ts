import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/bare-embed.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../../node_modules/tsx/dist/loader.mjs', import.meta.url));

export interface BareEmbedProcess {
  child: ChildProcessWithoutNullStreams;
  port: number;
  /** Every line it printed so far (`LISTENING <port>`, then `CLOSED` once closed). */
  lines: string[];
  /** What it wrote to stderr so far. */
  stderr(): string;
}

/**
 * Runs the bare embed (fixtures/bare-embed.ts: createServer() with no store option) from its
 * TypeScript sources in a process of its own, with `cwd` as its working directory and
 * `nodeFlags` before node's own; resolves once it listens. A line on its stdin closes it.
 */
export function startBareEmbed(cwd: string, nodeFlags: string[] = []): Promise<BareEmbedProcess> {
  const child = spawn(process.execPath, [...nodeFlags, '--conditions=source', '--import', TSX, FIXTURE], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no LISTENING within 60 s: ${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const m = /^LISTENING (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), lines, stderr: () => stderr });
      }
    });
  });
}
