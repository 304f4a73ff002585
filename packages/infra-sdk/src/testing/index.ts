/**
 * `@leviathan/infra-sdk/testing`: a Proxmox VE API simulator for tests of code that uses the SDK.
 */
export {
  type FaultHandle,
  type FaultSpec,
  PveSimulator,
  type PveSimulatorOptions,
  type SimRequestRecord,
} from './pve-simulator.js';
export { createSelfSignedCert, type SelfSignedCert } from './self-signed-cert.js';
export { TICKET_LIFETIME_MS } from './sim-auth.js';
export type {
  SimCluster,
  SimGuestLoad,
  SimNodeLoad,
  SimSnapshot,
  SimStorageUsage,
  SimVm,
  SimVmSeed,
} from './sim-cluster.js';
export type { SimTask, TaskMatcher, TaskOutcome } from './sim-tasks.js';
