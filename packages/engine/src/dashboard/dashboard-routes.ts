import type { HttpAnswer, HttpRequestInfo } from '../gateway/transport/transport.js';
import type { Logger } from '../logging/logger.js';
import { dashboardAccess, tokenDigest } from './dashboard-access.js';
import { PAGE_CSS } from './page/page-css.js';
import { PAGE_HTML } from './page/page-html.js';
import { PAGE_ICON } from './page/page-icon.js';
import { PAGE_SCRIPT } from './page/page-script.js';

/** Every path under it is the engine's: a webRoot file there is never served (see dashboardRoutes). */
export const DASHBOARD_PATH = '/dashboard';

/**
 * The page may load only itself: no inline script or style, no other origin, and no framing (a
 * frame could overlay the token form).
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

/** The figures change every second and may be private: never kept by a browser or a proxy. */
const DATA_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...PAGE_HEADERS,
  'cache-control': 'no-store',
});

export interface DashboardRoutesOptions {
  readonly enabled: boolean;
  /** The access token (from the variable `dashboard.tokenEnv` names); '' or undefined: none. */
  readonly token: string | undefined;
  /** The latest snapshot's JSON, from main (one sampler there, whatever the number of viewers). */
  readonly snapshot: () => Promise<string>;
  /** The answer to an unknown path, given back as it is while the dashboard is off. */
  readonly notFound: HttpAnswer;
  readonly log: Logger;
}

/** Answers a request under `/dashboard`, or undefined for any other path. */
export type DashboardRoutes = (
  method: string,
  path: string,
  request: HttpRequestInfo,
) => HttpAnswer | Promise<HttpAnswer> | undefined;

/**
 * `/dashboard` (the page), `/dashboard/page.css`, `/dashboard/page.js` and
 * `/dashboard/snapshot.json` (the data, DashboardSnapshot). The shell holds no data and is served
 * to anyone; the data only as dashboard-access.ts allows. Off, every path under `/dashboard` is the
 * plain 404 of an unknown path. The prefix is the engine's whether on or off: a game's webRoot
 * cannot put a page there (to be mistaken for the dashboard, or to capture its token), and turning
 * the dashboard on never changes a file players were served.
 */
export function dashboardRoutes(options: DashboardRoutesOptions): DashboardRoutes {
  const { enabled, notFound, log } = options;
  const digest = options.token === undefined || options.token === '' ? undefined : tokenDigest(options.token);
  const files = new Map<string, HttpAnswer>([
    [DASHBOARD_PATH, page('text/html; charset=utf-8', PAGE_HTML)],
    [`${DASHBOARD_PATH}/`, page('text/html; charset=utf-8', PAGE_HTML)],
    [`${DASHBOARD_PATH}/page.css`, page('text/css; charset=utf-8', PAGE_CSS)],
    [`${DASHBOARD_PATH}/page.js`, page('text/javascript; charset=utf-8', PAGE_SCRIPT)],
    [`${DASHBOARD_PATH}/icon.svg`, page('image/svg+xml', PAGE_ICON)],
  ]);
  const unauthorized: HttpAnswer = {
    status: '401 Unauthorized',
    contentType: 'text/plain; charset=utf-8',
    body: 'this dashboard needs its access token: Authorization: Bearer <token>',
    headers: { ...DATA_HEADERS, 'www-authenticate': 'Bearer realm="leviathan-dashboard"' },
  };
  const localOnly: HttpAnswer = {
    status: '403 Forbidden',
    contentType: 'text/plain; charset=utf-8',
    body: 'this dashboard answers this machine only; to open it from elsewhere, set an access token in the variable dashboard.tokenEnv names (LEVIATHAN_DASHBOARD_TOKEN by default)',
    headers: DATA_HEADERS,
  };

  return (method, path, request) => {
    if (path !== DASHBOARD_PATH && !path.startsWith(`${DASHBOARD_PATH}/`)) return undefined;
    if (!enabled || method !== 'get') return notFound;
    if (path === `${DASHBOARD_PATH}/snapshot.json`) {
      const access = dashboardAccess(digest, request);
      if (access === 'token-needed') return unauthorized;
      if (access === 'local-only') return localOnly;
      return options.snapshot().then(
        (json): HttpAnswer => ({
          status: '200 OK',
          contentType: 'application/json',
          body: json,
          headers: DATA_HEADERS,
        }),
        (err: unknown): HttpAnswer => {
          log.error({ err }, 'dashboard snapshot failed');
          return {
            status: '503 Service Unavailable',
            contentType: 'text/plain; charset=utf-8',
            body: 'dashboard snapshot unavailable',
            headers: DATA_HEADERS,
          };
        },
      );
    }
    return files.get(path) ?? notFound;
  };
}

function page(contentType: string, text: string): HttpAnswer {
  return { status: '200 OK', contentType, body: Buffer.from(text, 'utf8'), headers: PAGE_HEADERS };
}
