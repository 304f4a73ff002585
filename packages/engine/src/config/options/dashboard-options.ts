import { type OptionSpec, option } from '../option-spec.js';

/**
 * The live dashboard at `/dashboard` (dashboard/dashboard-routes.ts): off unless enabled, and its
 * data only for this machine or for holders of the token the named variable holds.
 */
export const DASHBOARD_OPTIONS: readonly OptionSpec[] = Object.freeze([
  option({
    key: 'dashboard.enabled',
    type: 'boolean',
    description:
      'Serve the live dashboard at /dashboard (the figures of leviathan top, sampled once a second on the main thread); off: /dashboard answers 404 like any unknown path and nothing is sampled.',
    default: false,
  }),
  option({
    key: 'dashboard.tokenEnv',
    type: 'string',
    description:
      "Name of the environment variable holding the dashboard's access token; set, the data needs Authorization: Bearer <token> from any address; unset or empty, only loopback clients get it. Secrets are never read from files or flags.",
    unit: 'variable name',
    default: 'LEVIATHAN_DASHBOARD_TOKEN',
  }),
]);
