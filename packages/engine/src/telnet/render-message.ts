/**
 * What a line-mode client sees of a server message: its text. Structured events (`room`,
 * `presence`, `chat`, `event`) are dropped, since the game sends their text beside them.
 */
export function renderForLine(msg: { type?: unknown; [k: string]: unknown }): string | undefined {
  switch (msg.type) {
    case 'text':
      return typeof msg.text === 'string' ? msg.text : undefined;
    case 'reply':
      return typeof msg.text === 'string' && msg.text.length > 0 ? msg.text : undefined;
    case 'error':
    case 'auth-error':
      return typeof msg.message === 'string' ? msg.message : undefined;
    case 'bye':
      return `[${typeof msg.reason === 'string' ? msg.reason : 'disconnected'}]`;
    default:
      return undefined;
  }
}
