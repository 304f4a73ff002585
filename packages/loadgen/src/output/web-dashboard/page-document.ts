import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DashboardData } from './dashboard-data.js';
import { PAGE_CSS } from './page-css.js';
import { PAGE_SCRIPT } from './page-script.js';

/** uPlot's script and style, read once from the installed package (a dependency, in src or dist). */
let uplot: { js: string; css: string } | undefined;
function uplotAssets(): { js: string; css: string } {
  if (uplot === undefined) {
    const require = createRequire(import.meta.url);
    const read = (file: string) => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
    uplot = { js: read('uPlot.iife.min.js'), css: read('uPlot.min.css') };
  }
  return uplot;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The page, whole: uPlot and the page's script and style inline, so that it is one file that
 * needs nothing else (the report opens from file:// without a network), under a policy that
 * allows only those exact scripts and style (by hash), connections to its own origin (the live
 * events) and nothing else.
 */
let shell: { head: string; tail: string; policy: string } | undefined;
function pageShell(): { head: string; tail: string; policy: string } {
  if (shell === undefined) {
    const { js, css } = uplotAssets();
    const style = `${css}\n${PAGE_CSS}`;
    for (const text of [js, PAGE_SCRIPT]) {
      if (text.includes('</script')) throw new Error('an inline script may not contain </script');
    }
    const policy = [
      "default-src 'none'",
      `script-src ${sha256(js)} ${sha256(PAGE_SCRIPT)}`,
      `style-src ${sha256(style)}`,
      "connect-src 'self'",
      'img-src data:',
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; ');
    const head = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="referrer" content="no-referrer">
<title>leviathan-load · test results</title>
<link rel="icon" href="data:,">
<style>${style}</style>
</head>
<body>
<header>
  <span class="brand">leviathan-load</span>
  <span><span class="label">scenario</span><span id="scenario">—</span></span>
  <span><span class="label">started</span><span id="started">—</span></span>
  <span><span class="label">elapsed</span><span id="elapsed">—</span></span>
  <span id="state" class="state state-wait">connecting</span>
</header>
<p id="waiting">Waiting for the first metrics interval…</p>
<main id="plots"></main>
<div id="summary"></div>
`;
    const tail = `<script>${js}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
    shell = { head, tail, policy };
  }
  return shell;
}

/** The policy of the page, also sent as a header by the live server. */
export function pagePolicy(): string {
  return pageShell().policy;
}

/**
 * The dashboard page. Without data it is the live page (it reads `events` from where it was
 * served); with data, the report: the same page with the run embedded.
 */
export function renderPage(data?: Readonly<DashboardData>): string {
  const { head, tail } = pageShell();
  if (data === undefined) return head + tail;
  // `<` escaped: a metric name or an error message holding `</script>` cannot end the block.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `${head}<script type="application/json" id="dashboard-data">${json}</script>\n${tail}`;
}
