import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, hasTool, TmuxPane } from '@leviathan/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  type PrometheusServer,
  startPrometheus,
} from '../../../../test/infrastructure/helpers/prometheus-server.js';
import type { LeviathanServer } from '../../src/index.js';
import { startServer } from '../helpers/start-server.js';
import { TestClient } from '../helpers/test-client.js';

/**
 * `leviathan top --prometheus` in a real terminal: a real Prometheus scraping a real engine with
 * players on it, and a second engine address where nothing listens, so the grid has a node up and
 * a node down. Runs the built CLI (`pnpm --filter @leviathan/engine build` first).
 */
const CLI = fileURLToPath(new URL('../../bin/leviathan.js', import.meta.url));

describe.skipIf(!hasTool('prometheus') || !hasTool('tmux'))(
  'leviathan top --prometheus in a terminal',
  () => {
    let dir: string;
    let server: LeviathanServer | undefined;
    let port: number;
    let deadTarget: string;
    let prometheus: PrometheusServer | undefined;
    let clients: TestClient[] = [];
    let traffic: NodeJS.Timeout | undefined;
    let pane: TmuxPane | undefined;

    beforeAll(async () => {
      if (!existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))))
        throw new Error('run pnpm --filter @leviathan/engine build first');
      dir = mkdtempSync(join(tmpdir(), 'leviathan-top-fleet-'));
      ({ server, port } = await startServer());
      clients = await Promise.all(['ann', 'bob', 'cy'].map((name) => TestClient.login(port, name)));
      await clients[2]!.command('go beta');
      traffic = setInterval(() => {
        for (const c of clients) c.command('echo hi').catch(() => {});
      }, 100);
      deadTarget = `127.0.0.1:${await freePort()}`;
      writeFileSync(
        join(dir, 'prometheus.yml'),
        stringify({
          global: { scrape_interval: '1s', evaluation_interval: '1s' },
          scrape_configs: [
            {
              job_name: 'leviathan-engine',
              static_configs: [{ targets: [`127.0.0.1:${port}`, deadTarget] }],
            },
          ],
        }),
      );
      prometheus = await startPrometheus(dir);
    }, 120_000);

    afterAll(async () => {
      await pane?.close();
      clearInterval(traffic);
      for (const c of clients) c.close();
      await prometheus?.stop();
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('at 100x30: the fleet figures, a node up and a node down in the grid, the zones', async () => {
      pane = await TmuxPane.open(100, 30);
      await pane.type(`env -u CI node ${CLI} top --prometheus ${prometheus!.url}; echo "top exited $?"`);
      const overview = await pane.waitFor(
        (s) => /Players +3\b/.test(s) && /Latency p99 +[█░]+ +\d+(\.\d+)? ms/.test(s),
        'three players and a latency from Prometheus',
        90_000,
      );
      expect(overview.split('\n')[0]).toMatch(
        new RegExp(`^leviathan top +fleet ${prometheus!.url.replace(/\./g, '\\.')}`),
      );
      expect(overview).toMatch(/^● reachable/m);

      await pane.press('2');
      const grid = await pane.waitFor(
        (s) => s.includes(`127.0.0.1:${port}`) && s.includes(deadTarget),
        'both nodes in the grid',
        60_000,
      );
      expect(grid).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} +up +3\\b`));
      expect(grid).toMatch(new RegExp(`${deadTarget.replace(/\./g, '\\.')} +down`));
      // The down node in red.
      const coloured = await pane.screen(true);
      expect(coloured).toMatch(
        new RegExp(
          `\\u001B\\[(?:[0-9;]*;)?31(?:;[0-9;]*)?m(?:\\u001B\\[[0-9;]*m)*${deadTarget.replace(/\./g, '\\.')}`,
        ),
      );

      await pane.press('3');
      await pane.waitFor(
        (s) => /alpha +\S+ +2\b/.test(s) && /beta +\S+ +1\b/.test(s),
        'the busiest zones',
        30_000,
      );

      await pane.press('q');
      expect(await pane.waitFor((s) => /^top exited \d+$/m.test(s), 'the shell after q')).toMatch(
        /^top exited 0$/m,
      );
    }, 180_000);
  },
);
