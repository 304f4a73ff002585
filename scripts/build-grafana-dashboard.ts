/**
 * Writes monitoring/grafana/dashboards/leviathan-engine.json and the table of figures in
 * docs/operations.md from packages/engine/src/metrics/figures.ts (the panels are in
 * scripts/grafana/), formatted by Biome as `pnpm lint` wants them.
 *
 *   pnpm exec tsx scripts/build-grafana-dashboard.ts
 *
 * test/infrastructure/grafana-dashboard.test.ts fails while the committed board or the table is
 * not what this script builds, so neither is edited by hand.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDashboard, DASHBOARD_PATH } from './grafana/dashboard.js';
import { OPERATIONS_DOC_PATH, withFiguresTable } from './grafana/figures-table.js';

const root = join(import.meta.dirname, '..');
writeFileSync(join(root, DASHBOARD_PATH), `${JSON.stringify(buildDashboard(), null, 2)}\n`);
const doc = join(root, OPERATIONS_DOC_PATH);
writeFileSync(doc, withFiguresTable(readFileSync(doc, 'utf8')));
const biome = spawnSync(
  join(root, 'node_modules/.bin/biome'),
  ['format', '--write', DASHBOARD_PATH, OPERATIONS_DOC_PATH],
  { cwd: root, encoding: 'utf8' },
);
if (biome.status !== 0) {
  console.error(biome.stdout, biome.stderr);
  process.exit(1);
}
console.log(`wrote ${DASHBOARD_PATH} and the figures table of ${OPERATIONS_DOC_PATH}`);
