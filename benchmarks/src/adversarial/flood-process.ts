/**
 * The flood in a process of its own (so that its CPU is not the well-behaved players' event
 * loop). Each message is a FloodOptions as JSON (without `token`; tokens are signed with
 * LEVIATHAN_HMAC_SECRET): the flood runs and `{ report }` comes back. Exits when its parent goes.
 */
import { signHmacToken } from '@leviathan/engine/auth';
import { type FloodOptions, flood } from './flood.js';

const secret = process.env.LEVIATHAN_HMAC_SECRET ?? '';
process.on('disconnect', () => process.exit(0));
process.on('message', (options: Omit<FloodOptions, 'token'>) => {
  flood({ ...options, token: (username) => signHmacToken({ username, expiresInSec: 3600, secret }) }).then(
    (report) => process.send?.({ report }),
    (err: unknown) => process.send?.({ error: String(err) }),
  );
});
process.send?.({ ready: true });
