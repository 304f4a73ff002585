import { createTestDatabase, databaseUrl } from '@leviathan/test-support';
import { describe } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { storeContract } from './store-contract.js';

describe.skipIf(!databaseUrl())('postgres', () => {
  storeContract('postgres (postgres.js)', async () => {
    const db = await createTestDatabase('store');
    return {
      open: () => PostgresStore.open({ url: db.url, maxConnections: 4 }),
      cleanup: () => db.drop(),
    };
  });
});
