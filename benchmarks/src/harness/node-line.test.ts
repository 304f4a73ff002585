import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Baseline, writeBaseline } from './baseline.js';
import { baselineForLine, nodeMajor } from './node-line.js';

const recordedOn = (node: string): Baseline => ({
  recordedAt: '2026-12-04T00:00:00.000Z',
  commit: 'abc1234',
  machine: { node, cpu: 'test', cpus: 2, loadAverage: 0.5 },
  cases: {},
});

describe('a baseline per Node line', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const mainPath = () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-line-'));
    dirs.push(dir);
    return join(dir, 'baseline.json');
  };

  it('reads the major of a Node version, and refuses what is not one', () => {
    expect(nodeMajor('v20.20.2')).toBe(20);
    expect(nodeMajor('24.1.0')).toBe(24);
    expect(() => nodeMajor('latest')).toThrow(/not a Node version/);
  });

  it('is baseline.json on the line it was recorded on, and while there is none', () => {
    const path = mainPath();
    expect(baselineForLine(path, 'v22.1.0')).toEqual({ path, major: 22, main: true, baseline: undefined });
    writeBaseline(path, recordedOn('v20.20.2'));
    expect(baselineForLine(path, 'v20.11.0')).toEqual({
      path,
      major: 20,
      main: true,
      baseline: recordedOn('v20.20.2'),
    });
  });

  it('is baseline-node<major>.json beside it on any other line', () => {
    const path = mainPath();
    writeBaseline(path, recordedOn('v20.20.2'));
    const line24 = join(path, '..', 'baseline-node24.json');
    expect(baselineForLine(path, 'v24.22.3')).toEqual({
      path: line24,
      major: 24,
      main: false,
      baseline: undefined,
    });
    writeBaseline(line24, recordedOn('v24.22.3'));
    expect(baselineForLine(path, 'v24.1.0').baseline).toEqual(recordedOn('v24.22.3'));
  });
});
