/**
 * Base of every error @leviathan/infra-sdk produces. `code` is stable and documented in
 * docs/errors.md under `## @leviathan/infra-sdk`; `cause` chains the underlying failure.
 */
export class InfraSdkError extends Error {
  override readonly name: string = 'InfraSdkError';
  readonly code: string;

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}
