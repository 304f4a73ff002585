// How the server takes logins, asked at GET /login-options (the protocol's `LoginOptions`, see
// docs/protocol.md), turned into what the login form offers. No DOM here: client.js draws it.

/** The path the server answers on; `LOGIN_OPTIONS_PATH` of @leviathan/protocol. */
export const LOGIN_OPTIONS_PATH = '/login-options';

/**
 * How long the page waits for the answer before it falls back, in ms: the server that served the
 * page answers at once, so a wait this long means something in between swallowed the request.
 */
const FETCH_TIMEOUT_MS = 5_000;

const AUTH_MODES = new Set(['dev', 'hmac', 'custom', 'accounts']);

/**
 * The server's answer, checked as `parseLoginOptions` of @leviathan/protocol checks it (this page
 * has no build step to import it): the options, or undefined for anything else.
 */
export function readLoginOptions(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (typeof value.auth !== 'string' || !AUTH_MODES.has(value.auth)) return undefined;
  if (!Array.isArray(value.secrets) || value.secrets.length === 0) return undefined;
  if (!value.secrets.every((s) => s === 'token' || s === 'password')) return undefined;
  if (typeof value.register !== 'boolean') return undefined;
  if (value.devToken !== undefined && (typeof value.devToken !== 'string' || value.devToken.length > 4096))
    return undefined;
  return {
    auth: value.auth,
    secrets: [...new Set(value.secrets)],
    register: value.register,
    ...(value.devToken !== undefined ? { devToken: value.devToken } : {}),
  };
}

/**
 * Asks the server; undefined when the page cannot learn the answer (a server older than the
 * route answers 404, a proxy may answer HTML, the network may fail): the form then offers every way.
 */
export async function fetchLoginOptions(fetchImpl = globalThis.fetch) {
  try {
    const response = await fetchImpl(LOGIN_OPTIONS_PATH, {
      cache: 'no-store',
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!response.ok) return undefined;
    return readLoginOptions(await response.json());
  } catch {
    return undefined;
  }
}

/**
 * What the login form shows for a server's options: the ways in it offers (`login` with a
 * password, `register`, `token`), the one chosen (the player's last choice where the server
 * still takes it), whether the token field is shown and what it holds, and a sentence saying
 * what to do.
 *
 * @param {ReturnType<typeof readLoginOptions>} options the server's answer, or undefined
 * @param {string | null} saved the way in the player used last time on this page
 * @returns {{ modes: string[], mode: string, showToken: boolean, token?: string, hint: string }}
 */
export function loginForm(options, saved) {
  if (options === undefined) {
    const modes = ['login', 'register', 'token'];
    return {
      modes,
      mode: modes.includes(saved) ? saved : 'login',
      showToken: true,
      hint: 'This server did not say how it takes logins (it may be older than this page). Log in with your name and password, or choose Token: a development server takes any name with the token test-token.',
    };
  }
  if (options.auth === 'dev')
    return {
      modes: ['token'],
      mode: 'token',
      showToken: false,
      token: options.devToken ?? 'test-token',
      hint: 'Development server: any name logs in, and the token is filled in for you. Type a name and press Enter.',
    };
  const modes = [];
  if (options.secrets.includes('password')) modes.push('login');
  if (options.register) modes.push('register');
  if (options.secrets.includes('token')) modes.push('token');
  const mode = modes.includes(saved) ? saved : modes[0];
  return { modes, mode, showToken: true, hint: hintFor(options) };
}

/** What to do, in a sentence, on a server that is not in development mode. */
function hintFor(options) {
  const create = options.register
    ? ' New here? Choose "Create an account", then pick a name and a password.'
    : '';
  switch (options.auth) {
    case 'hmac':
      return 'This server takes signed tokens: give your name and the token your login service gave you.';
    case 'accounts':
      return `Log in with your name and password.${create || ' This server does not create accounts from here: ask its operator for one.'}`;
    default:
      return `Log in with your name and the password or token this server's operator gave you.${create}`;
  }
}
