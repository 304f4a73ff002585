export {
  createLogger,
  currentThreadId,
  flushLogs,
  type LogDestination,
  type LogFn,
  type Logger,
  type LoggerOptions,
  silentLogger,
  writesToStdout,
} from './logger.js';
export { LOG_REDACT_PATHS, logRedaction } from './redaction.js';
export { type SerializedError, serializeError } from './serialize-error.js';
export { forwardWorkerLogs, workerLogOptions } from './worker-logs.js';
