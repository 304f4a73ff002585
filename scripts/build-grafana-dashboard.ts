/**
 * Writes monitoring/grafana/dashboards/leviathan-engine.json from the figures of
 * packages/engine/src/metrics/figures.ts (the panels are in scripts/grafana/), formatted by Biome
 * as `pnpm lint` wants every JSON file.
 *
 *   pnpm exec tsx scripts/build-grafana-dashboard.ts
 *
 * test/infrastructure/grafana-dashboard.test.ts fails while the committed board is not what this
 * script builds, so the board is never edited by hand.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDashboard, DASHBOARD_PATH } from './grafana/dashboard.js';

const root = join(import.meta.dirname, '..');
writeFileSync(join(root, DASHBOARD_PATH), `${JSON.stringify(buildDashboard(), null, 2)}\n`);
const biome = spawnSync(join(root, 'node_modules/.bin/biome'), ['format', '--write', DASHBOARD_PATH], {
  cwd: root,
  encoding: 'utf8',
});
if (biome.status !== 0) {
  console.error(biome.stdout, biome.stderr);
  process.exit(1);
}
console.log(`wrote ${DASHBOARD_PATH}`);
