import type { OutputBatch } from '../ipc/output-batch.js';
import type { StateBatch } from '../ipc/state-batch.js';
import type { TickResult } from './shard.js';

/** Where a tick's batches go: main's control link, and each gateway's direct port. */
export interface TickDestinations {
  readonly main: { notify(method: 'state', batch: StateBatch): void };
  readonly gateways: ReadonlyArray<{ postMessage(batch: OutputBatch): void } | undefined>;
}

/**
 * Sends a tick's batches: the state batch to main first, then the output to the gateways, so a
 * player is never told what main does not have.
 *
 * A message once posted is delivered even if this thread dies right after (main drains the port
 * before it handles the exit), but a thread can be stopped between two posts. With the output
 * first, a client once read a blow that the restarted shard had never heard of: the thread was
 * preempted between the posts and killed. This way round, a crash between them loses only the
 * telling; the player re-joins with the state, which includes it.
 */
export function sendTick(result: TickResult, to: TickDestinations): void {
  if (result.state !== null) to.main.notify('state', result.state);
  const outputs = result.outputs;
  for (let g = 0; g < outputs.length; g++) {
    const out = outputs[g];
    if (out !== null && out !== undefined) to.gateways[g]?.postMessage(out);
  }
}
