// Run by embedded-footprint.ts in a fresh process: prints {"openMs":..,"rssMb":..}.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedStore } from '@leviathan/engine/store';

const dir = mkdtempSync(join(tmpdir(), 'lev-footprint-'));
const rssBefore = process.memoryUsage().rss;
const start = performance.now();
const store = await EmbeddedStore.open({ dataDir: dir });
const openMs = performance.now() - start;
const writes = Array.from({ length: 1000 }, (_, i) => ({
  key: `p${i}`,
  expectedVersion: 0,
  data: { location: { zone: 'z', room: `r${i}` }, inventory: [], stats: { hp: i } },
  writer: 'probe:1',
}));
await store.saveCharacters(writes);
const rssMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
await store.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ openMs: Number(openMs.toFixed(2)), rssMb: Number(rssMb.toFixed(1)) }));
