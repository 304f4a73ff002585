/**
 * The base of every failure @leviathan/infra-sdk reports. One class per failure, each with a stable
 * `code` (documented in docs/errors.md under "@leviathan/infra-sdk"; a test checks it) and `cause`
 * chaining, in the style of undici's `lib/core/errors.js`. The classes are beside the clients that
 * throw them: `proxmox/errors.ts`, `ansible/errors.ts`, `prometheus/errors.ts`.
 */

/** Base class of every error thrown by @leviathan/infra-sdk. */
export class InfraSdkError extends Error {
  /** Stable machine-readable code, e.g. `LEV_ERR_PVE_API`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}
