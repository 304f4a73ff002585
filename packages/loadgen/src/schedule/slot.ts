/**
 * The share of a test one worker runs. Global items (VUs, iterations, arrivals) are numbered
 * 0, 1, 2, ...; the worker takes those with `g % stride === offset`. With several processes
 * (`--segment s/S`) each running W workers, offset = s + S × w and stride = S × W: the shares
 * interleave, so every share sees the same ramp shape, and they add up exactly to the whole.
 */
export interface Slot {
  offset: number;
  stride: number;
}

export const WHOLE: Slot = { offset: 0, stride: 1 };

/** The slot of worker `worker` of `workers` in process segment `segment` of `segments`. */
export function slotOf(segment: number, segments: number, worker: number, workers: number): Slot {
  return { offset: segment + segments * worker, stride: segments * workers };
}

/** How many of the global items 0..n-1 fall in the slot. */
export function shareCount(n: number, slot: Slot): number {
  if (n <= slot.offset) return 0;
  return Math.floor((n - 1 - slot.offset) / slot.stride) + 1;
}

/** The global index of the slot's j-th item. */
export function globalIndex(j: number, slot: Slot): number {
  return slot.offset + slot.stride * j;
}
