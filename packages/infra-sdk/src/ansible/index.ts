export * from './errors.js';
export { AnsibleExitCode } from './exit-status.js';
export * from './inventory/index.js';
export type { AdHocOptions, AnsibleRunOptions, PlaybookOptions } from './options.js';
export type { AnsibleProgressEvent, ProgressTaskRef } from './progress.js';
export type {
  AnsibleRunResult,
  HostStats,
  HostTaskResult,
  HostTaskStatus,
  PlayResult,
  TaskResult,
} from './result.js';
export { runAdHoc, runPlaybook } from './run.js';
