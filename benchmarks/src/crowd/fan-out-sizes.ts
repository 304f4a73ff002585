/**
 * Room sizes of the counted fan-out case. A broadcast to a room of 1 is the fixed cost of a
 * broadcast (encoding, taking the batch, cloning it); the cost per recipient at size n is what a
 * broadcast costs beyond that, over its n − 1 further recipients, and must stay flat across sizes.
 */
export const ROOM_SIZES = [1, 10, 100, 1_000, 3_000] as const;
/** Recipients per counted run at each size (operations = RECIPIENTS / size). */
export const RECIPIENTS = 30_000;
