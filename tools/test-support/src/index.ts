export { type LinkProxy, startLinkProxy } from './link-proxy.js';
export {
  findPostgresBin,
  freePort,
  startThrowawayCluster,
  type ThrowawayCluster,
} from './postgres-cluster.js';
export { startThrowawayRedis, type ThrowawayRedis } from './redis-server.js';
export { type ServeProcess, spawnServe } from './serve-process.js';
export { createTestDatabase, type TestDatabase } from './test-database.js';
export { TmuxPane, type TmuxPaneOptions } from './tmux-pane.js';
export { databaseUrl, hasTool, redisAvailable } from './tools.js';
