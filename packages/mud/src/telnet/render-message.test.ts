import { describe, expect, it } from 'vitest';
import { renderForLine, stripControls } from './render-message.js';

describe('renderForLine', () => {
  it('shows the text of text, reply, error and bye messages, and drops structured events', () => {
    expect(renderForLine({ type: 'text', text: 'hi', channel: 'say' })).toBe('hi');
    expect(renderForLine({ type: 'reply', re: 1, ok: true, text: 'done' })).toBe('done');
    expect(renderForLine({ type: 'reply', re: 1, ok: true })).toBeUndefined();
    expect(renderForLine({ type: 'error', code: 'X', message: 'bad' })).toBe('bad');
    expect(renderForLine({ type: 'bye', code: 1000, reason: 'goodbye' })).toBe('[goodbye]');
    for (const type of ['room', 'presence', 'chat', 'event', 'pong', 'auth-ok'])
      expect(renderForLine({ type })).toBeUndefined();
  });

  it("regression: a player's say cannot send terminal escape sequences to others", () => {
    const evil = "ann says, '\u001b[2J\u001b]0;pwned\u0007\u009b31mhi\u0000'";
    expect(renderForLine({ type: 'text', text: evil })).toBe("ann says, '[2J]0;pwned31mhi'");
    expect(stripControls('a\tb\nc')).toBe('a\tb\nc');
  });
});
