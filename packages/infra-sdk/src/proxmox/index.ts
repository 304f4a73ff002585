export type { PveApi, PveBoolean } from './api.generated.js';
export type { PveAuthOptions, PveTicketAuth, PveTokenAuth } from './auth.js';
export { ProxmoxClient, type ProxmoxClientOptions, type PveRetryEvent } from './client.js';
export { type CloneOptions, type CloneResult, cloneVm } from './clone.js';
export {
  type CloudInitOptions,
  cloudInitParams,
  configureCloudInit,
  decodeSshKeys,
  encodeSshKeys,
  formatIpConfig,
  type IpConfig,
} from './cloud-init.js';
export * from './errors.js';
export * from './health/index.js';
export { backoffDelay, isTransient } from './retry.js';
export { type SnapshotGuardEvent, type SnapshotGuardOptions, withSnapshots } from './snapshot-guard.js';
export {
  assertSnapshotName,
  type CreateSnapshotOptions,
  createSnapshot,
  type DeleteSnapshotOptions,
  deleteSnapshot,
  listSnapshots,
  type RollbackSnapshotOptions,
  rollbackSnapshot,
  type VmSnapshot,
} from './snapshots.js';
export { type PveTaskResult, waitForTask } from './tasks.js';
export type { PvePoolOptions, PveTlsOptions } from './tls.js';
export type {
  PveCallOptions,
  PveEndpoint,
  PveMethod,
  PveParams,
  PveReturns,
  RetryOptions,
} from './types.js';
export { parseUpid, type Upid } from './upid.js';
export { waitForUnlock } from './vm-lock.js';
export {
  type ClusterResource,
  clusterResources,
  convertToTemplate,
  type DiskName,
  destroyVm,
  resizeDisk,
  shutdownVm,
  startVm,
  stopVm,
  type VmRef,
  type VmStatus,
  vmStatus,
} from './vm-ops.js';
export { type GuestInterface, guestInterfaces, proxmoxVmSource, type VmSourceOptions } from './vm-source.js';
export { claimVmid, isVmidCollision, type VmidOptions, withFreshVmid } from './vmid.js';
export type { PveWaitOptions } from './wait-options.js';
