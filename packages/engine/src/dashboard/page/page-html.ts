/**
 * The dashboard page's HTML: a static shell that holds no figure (the script fills it from
 * `/dashboard/snapshot.json`), so it may be served to anyone; the data route decides who gets
 * data. No inline script or style: the page runs under `Content-Security-Policy: default-src
 * 'self'`.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>leviathan · dashboard</title>
<link rel="icon" href="/dashboard/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/dashboard/page.css">
<script src="/dashboard/page.js" defer></script>
</head>
<body>
<header id="head">
  <span class="brand">leviathan</span>
  <span class="field"><span class="label">target</span> <span id="target">—</span></span>
  <span class="field"><span class="label">tick</span> <span id="tick">—</span></span>
  <span class="field"><span class="label">updated</span> <span id="updated">—</span></span>
  <span id="state" class="state state-wait">connecting</span>
</header>
<p id="notice" hidden></p>
<form id="token-form" hidden>
  <label for="token-input">This dashboard needs its access token: the value of <code>LEVIATHAN_DASHBOARD_TOKEN</code> on the server (or of the variable <code>dashboard.tokenEnv</code> names).</label>
  <input id="token-input" type="password" autocomplete="off" spellcheck="false" placeholder="token">
  <button type="submit">open</button>
  <span id="token-error"></span>
</form>
<main id="boxes"></main>
</body>
</html>
`;
