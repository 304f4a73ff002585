import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of randomness in a resume token (base64url: 24 characters). */
const TOKEN_BYTES = 18;

/** A fresh resume token for `auth-ok.resume`: unguessable, single use. */
export function newResumeToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** Compares a presented token with the expected one in constant time (for equal lengths). */
export function resumeTokenMatches(expected: string, presented: string): boolean {
  if (expected.length === 0 || expected.length !== presented.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(presented));
}
