import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './test-database.js';
import { databaseUrl } from './tools.js';

describe.skipIf(!databaseUrl())('the run Postgres', () => {
  it('answers queries in a fresh database', async () => {
    const db = await createTestDatabase();
    const sql = postgres(db.url, { max: 1 });
    const [row] = await sql`SELECT 1 + 1 AS two`;
    expect(row?.two).toBe(2);
    await sql.end();
    await db.drop();
  });
});
