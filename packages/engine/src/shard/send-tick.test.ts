import { describe, expect, it } from 'vitest';
import type { OutputBatch } from '../ipc/output-batch.js';
import type { StateBatch } from '../ipc/state-batch.js';
import { sendTick } from './send-tick.js';

const state = { shard: 0, tick: 7 } as StateBatch;
const output = (n: number): OutputBatch => ({ n }) as unknown as OutputBatch;

describe('sendTick', () => {
  it('posts the state batch to main before any output to a gateway', () => {
    const posted: string[] = [];
    sendTick(
      { state, outputs: [output(0), null, output(2)] },
      {
        main: { notify: (_m, batch) => posted.push(`main:${batch.tick}`) },
        gateways: [0, 1, 2].map((g) => ({ postMessage: () => posted.push(`gateway:${g}`) })),
      },
    );
    expect(posted).toEqual(['main:7', 'gateway:0', 'gateway:2']);
  });

  it('has posted the state when the thread is stopped while it posts the output', () => {
    // A terminated thread stops at any point: here, inside the first gateway post.
    const toMain: StateBatch[] = [];
    const stopped = new Error('terminated');
    expect(() =>
      sendTick(
        { state, outputs: [output(0)] },
        {
          main: { notify: (_m, batch) => toMain.push(batch) },
          gateways: [
            {
              postMessage: () => {
                throw stopped;
              },
            },
          ],
        },
      ),
    ).toThrow(stopped);
    expect(toMain).toEqual([state]);
  });

  it('sends only the output when nothing changed, and skips gateways without a port', () => {
    const posted: number[] = [];
    sendTick(
      { state: null, outputs: [output(0), output(1)] },
      {
        main: {
          notify: () => {
            throw new Error('no state to send');
          },
        },
        gateways: [undefined, { postMessage: () => posted.push(1) }],
      },
    );
    expect(posted).toEqual([1]);
  });
});
