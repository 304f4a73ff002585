import { describe, expect, it } from 'vitest';
import { AnsibleOutputError, AnsibleRunFailedError, AnsibleUsageError } from './errors.js';
import { errorDetail, type FinishedRun, judgeRun } from './exit-status.js';

const run = (over: Partial<FinishedRun>): FinishedRun => ({
  exitCode: 0,
  signal: null,
  stdout: '',
  stderr: '',
  aborted: undefined,
  timedOutAfterMs: undefined,
  ...over,
});

describe('judgeRun', () => {
  it("takes argparse's exit 2 without a result for a usage error, not failed hosts", () => {
    expect(() =>
      judgeRun(run({ exitCode: 2, stderr: 'usage: ...\nerror: unrecognized arguments: --x' })),
    ).toThrow(AnsibleUsageError);
  });

  it('reports exit 0 without a JSON document as an output error', () => {
    expect(() => judgeRun(run({ stdout: 'PLAY [x] ****' }))).toThrow(AnsibleOutputError);
  });

  it('reports an unknown exit code with the ERROR! text', () => {
    expect(() =>
      judgeRun(run({ exitCode: 250, stderr: '[WARNING]: x\nERROR! Unexpected Exception\n' })),
    ).toThrow(AnsibleRunFailedError);
    expect(errorDetail('[WARNING]: x\nERROR! it broke\n  here\n')).toBe('it broke here');
    expect(errorDetail('')).toBe('no message on stderr');
  });
});
