import type { DuplicateLogin } from '../engine-config.js';
import { type OptionSpec, option } from '../option-spec.js';

export const DUPLICATE_LOGINS: readonly DuplicateLogin[] = Object.freeze(['takeover', 'refuse']);

/**
 * A character's session: how long it outlives a dropped socket, what a second login as the same
 * character does, and what is replayed when it resumes.
 */
export const SESSION_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'sessions.graceMs',
    type: 'integer',
    description:
      'How long a character whose WebSocket dropped stays in the world, resumable with the token of auth-ok.resume; 0: it leaves at once.',
    unit: 'milliseconds',
    default: 120_000,
    min: 0,
    max: 86_400_000,
  }),
  option({
    key: 'sessions.duplicateLogin',
    type: 'enum',
    description:
      'A second login as a character in play: takeover (the old connection gets bye 4006) or refuse (LEV_ERR_ALREADY_CONNECTED).',
    default: 'takeover',
    values: DUPLICATE_LOGINS,
  }),
  option({
    key: 'sessions.replayMessages',
    type: 'integer',
    description: 'Messages kept for a dropped character and replayed when it resumes.',
    unit: 'messages',
    default: 200,
    min: 0,
    max: 100_000,
  }),
]);
