import { describe, expect, it } from 'vitest';
import { parseProgressLine } from './progress.js';

describe('parseProgressLine', () => {
  it('reads the events of the callback plugin', () => {
    expect(
      parseProgressLine(
        '{"type":"host-result","host":"h","status":"changed","task":{"id":"1","name":"t","action":"a"},"changed":true}',
      ),
    ).toEqual({
      type: 'host-result',
      host: 'h',
      status: 'changed',
      task: { id: '1', name: 't', action: 'a' },
      changed: true,
      msg: undefined,
    });
  });

  it('ignores what is not a known, well-formed event', () => {
    expect(parseProgressLine('not json')).toBeUndefined();
    expect(parseProgressLine('{"type":"unknown"}')).toBeUndefined();
    expect(
      parseProgressLine('{"type":"host-result","host":"h","status":"exploded","task":{}}'),
    ).toBeUndefined();
    expect(parseProgressLine('[1]')).toBeUndefined();
  });
});
