import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password-hash.js';

// Cheap parameters keep the test fast; the defaults are measured in the module's comment.
const cheap = { logN: 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse', cheap);
    expect(hash).toMatch(/^scrypt\$ln=10,r=8,p=1\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('pw-pw-pw-pw', cheap)).not.toBe(await hashPassword('pw-pw-pw-pw', cheap));
  });

  it('never matches a malformed or tampered hash', async () => {
    const hash = await hashPassword('secret-secret', cheap);
    expect(await verifyPassword('secret-secret', hash.replace('ln=10', 'ln=11'))).toBe(false);
    expect(await verifyPassword('secret-secret', 'plain')).toBe(false);
    expect(await verifyPassword('secret-secret', hash.replace('ln=10', 'ln=40'))).toBe(false);
  });

  it('treats canonically equal unicode spellings as the same password (NFKC)', async () => {
    const hash = await hashPassword('caf\u00e9-latte', cheap);
    expect(await verifyPassword('cafe\u0301-latte', hash)).toBe(true);
  });
});
