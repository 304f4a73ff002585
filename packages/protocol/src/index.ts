export { CloseCode, closeCodeName } from './close-codes.js';
export { ALL_ERROR_CODES, ErrorCode } from './error-codes.js';
export { toAuthErrorMessage, toErrorMessage } from './error-message.js';
export * from './errors.js';
export { FORWARDED_HEADER } from './forwarded.js';
export { type Decoded, decodeFrame, decodeLine } from './framing/decode-frame.js';
export { parseServerFrame } from './framing/decode-server.js';
export { encodeLines, encodeMessage } from './framing/encode.js';
export { LineSplitter, type LineSplitterOptions } from './framing/line-splitter.js';
export {
  DEFAULT_LIMITS,
  FieldBounds,
  type ProtocolLimits,
  resolveLimits,
  USERNAME_PATTERN,
} from './limits.js';
export {
  AuthMode,
  LOGIN_OPTIONS_PATH,
  type LoginOptions,
  LoginSecret,
  parseLoginOptions,
} from './login-options.js';
export * from './messages.js';
export { DEFAULT_SERVER_SUPPORT, type Negotiated, negotiate, type ServerSupport } from './negotiate.js';
export { validateClientMessage } from './validation/validate.js';
export { isVitalsMessage, vitalsProblem } from './validation/vitals.js';
export { ALL_CAPABILITIES, Capability, PROTOCOL_VERSION, SUPPORTED_VERSIONS } from './version.js';
