export {
  findPostgresBin,
  freePort,
  startThrowawayCluster,
  type ThrowawayCluster,
} from './postgres-cluster.js';
export { createTestDatabase, type TestDatabase } from './test-database.js';
export { databaseUrl, hasTool } from './tools.js';
