export {
  createLogger,
  type LogDestination,
  type LogFn,
  type Logger,
  type LoggerOptions,
  silentLogger,
} from './logger.js';
export { type SerializedError, serializeError } from './serialize-error.js';
