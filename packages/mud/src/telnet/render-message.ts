/**
 * Control characters other than newline and tab, C1 controls included: a player's `say` must not
 * be able to send escape sequences (clear screen, move the cursor, retitle the window) to other
 * players' terminals, so they are removed from everything written to a line-mode client.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function stripControls(text: string): string {
  return text.replace(CONTROL, '');
}

/**
 * What a line-mode client sees of a server message: its text. Structured events (`room`,
 * `presence`, `chat`, `event`) are dropped, since the game sends their text beside them.
 */
export function renderForLine(msg: { type?: unknown; [k: string]: unknown }): string | undefined {
  switch (msg.type) {
    case 'text':
      return typeof msg.text === 'string' ? stripControls(msg.text) : undefined;
    case 'reply':
      return typeof msg.text === 'string' && msg.text.length > 0 ? stripControls(msg.text) : undefined;
    case 'error':
    case 'auth-error':
      return typeof msg.message === 'string' ? stripControls(msg.message) : undefined;
    case 'bye':
      return `[${typeof msg.reason === 'string' ? stripControls(msg.reason) : 'disconnected'}]`;
    default:
      return undefined;
  }
}
