import { SERVER_MESSAGE_TYPES, STRUCTURED_EVENT_TYPES } from '@leviathan/protocol';
import { describe, expect, it } from 'vitest';
import { eventFlag, SendFlag } from './output-batch.js';

describe('eventFlag', () => {
  // A structured event type the flag missed would reach plain clients, who asked not to get them.
  it.each(SERVER_MESSAGE_TYPES)(
    'flags %s exactly when the protocol lists it as a structured event',
    (type) => {
      const structured = (STRUCTURED_EVENT_TYPES as readonly string[]).includes(type);
      expect(eventFlag(type)).toBe(structured ? SendFlag.Event : 0);
    },
  );
});
