import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { databaseUrl } from './tools.js';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the run's Postgres, for one test file. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const admin = databaseUrl();
  if (!admin) throw new Error('no Postgres for this run');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`CREATE DATABASE "${name}"`);
  await sql.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const s = postgres(admin, { max: 1, onnotice: () => {} });
      await s.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await s.end();
    },
  };
}
