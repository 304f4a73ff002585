import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';

/** A datasource reference as a dashboard holds it (Grafana also accepts a bare name string). */
export type DatasourceRef = { type?: string; uid?: string } | string | null;

/**
 * Every `datasource` a dashboard names, with where: panels, their targets, panels folded into
 * collapsed rows, template variables and annotations alike, so that none can point elsewhere.
 */
export function datasourceRefs(dashboard: unknown, path = ''): Array<{ path: string; ref: DatasourceRef }> {
  if (Array.isArray(dashboard)) return dashboard.flatMap((item, i) => datasourceRefs(item, `${path}[${i}]`));
  if (dashboard === null || typeof dashboard !== 'object') return [];
  return Object.entries(dashboard).flatMap(([key, value]) => [
    ...(key === 'datasource' ? [{ path: `${path}.${key}`, ref: value as DatasourceRef }] : []),
    ...datasourceRefs(value, `${path}.${key}`),
  ]);
}

interface Datasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  access?: string;
}
interface Provider {
  name: string;
  type: string;
  options: { path: string };
}

/**
 * A provisioning folder's data sources and dashboard providers, checked against the shape
 * Grafana documents (administration/provisioning): apiVersion 1, named data sources with a type,
 * a url and a uid; file providers with a path.
 */
export function readProvisioning(dir: string): { datasources: Datasource[]; providers: Provider[] } {
  const read = (sub: string) =>
    readdirSync(join(dir, sub))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => parse(readFileSync(join(dir, sub, f), 'utf8')) as Record<string, unknown>);
  const datasourceFiles = read('datasources');
  const providerFiles = read('dashboards');
  expect(datasourceFiles.length).toBeGreaterThan(0);
  expect(providerFiles.length).toBeGreaterThan(0);
  for (const file of [...datasourceFiles, ...providerFiles]) expect(file.apiVersion).toBe(1);
  const datasources = datasourceFiles.flatMap((f) => f.datasources as Datasource[]);
  for (const ds of datasources) {
    expect(Object.keys(ds)).toEqual(expect.arrayContaining(['name', 'type', 'url', 'uid']));
    expect(ds.access ?? 'proxy').toBe('proxy');
    expect(() => new URL(ds.url), ds.url).not.toThrow();
  }
  const providers = providerFiles.flatMap((f) => f.providers as Provider[]);
  for (const p of providers) {
    expect(p.type).toBe('file');
    expect(p.options.path).toMatch(/^\//);
  }
  return { datasources, providers };
}

/** Every dashboard of a folder, parsed, by file name; each has a uid of its own. */
export function readDashboards(dir: string): Map<string, Record<string, unknown>> {
  const dashboards = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    dashboards.set(file, JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>);
  }
  const uids = [...dashboards.values()].map((d) => d.uid);
  for (const uid of uids) expect(typeof uid === 'string' && uid.length > 0, `uid ${String(uid)}`).toBe(true);
  expect(new Set(uids).size).toBe(uids.length);
  return dashboards;
}

interface TemplateVariable {
  name: string;
  type: string;
  query?: unknown;
  current?: { value?: unknown };
}

/**
 * Asserts every datasource reference of the dashboards names `uid` (of type prometheus), either
 * directly or through a `datasource` template variable of type prometheus whose default is `uid`.
 */
export function expectDashboardsUse(dashboards: Map<string, Record<string, unknown>>, uid: string): void {
  expect(dashboards.size).toBeGreaterThan(0);
  for (const [file, dashboard] of dashboards) {
    const variables = (dashboard.templating as { list?: TemplateVariable[] } | undefined)?.list ?? [];
    const viaVariable = variables
      .filter((v) => v.type === 'datasource' && v.query === 'prometheus' && v.current?.value === uid)
      .map((v) => ({ type: 'prometheus', uid: `\${${v.name}}` }));
    const refs = datasourceRefs(dashboard);
    expect(refs.length, file).toBeGreaterThan(0);
    for (const { path, ref } of refs) {
      expect([{ type: 'prometheus', uid }, ...viaVariable], `${file}${path}`).toContainEqual(ref);
    }
  }
}
