/**
 * The page's style: light, system fonts (the page loads nothing from elsewhere), plot cards in a
 * grid of two columns on a wide screen, one on a narrow one; tables of numbers right-aligned in
 * tabular figures.
 */
export const PAGE_CSS = `:root {
  --bg: #f6f7f9; --card: #ffffff; --line: #d9dee5; --text: #1f2933; --dim: #5f6b7a;
  --accent: #2563eb; --ok: #15803d; --ok-bg: #e7f6ec; --fail: #b91c1c; --fail-bg: #fdecec;
  color-scheme: light;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; background: var(--bg); color: var(--text); }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; padding: 12px 16px 24px; }
header {
  display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 20px; padding: 10px 14px;
  background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 12px;
}
.brand { font-weight: 700; color: var(--accent); letter-spacing: 0.02em; }
.label { color: var(--dim); margin-right: 4px; }
.state { margin-left: auto; padding: 1px 10px; border-radius: 10px; font-weight: 600; font-size: 13px; }
.state-wait { background: #e5e7eb; color: var(--dim); }
.state-live { background: var(--ok-bg); color: var(--ok); }
.state-lost { background: var(--fail-bg); color: var(--fail); }
.state-ended { background: #e0e7ff; color: #3730a3; }
#waiting { color: var(--dim); margin: 8px 2px; }
#plots { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px 10px; min-width: 0; }
.card h2 { font-size: 15px; margin: 2px 0 0; font-weight: 600; }
.card .note { margin: 0 0 6px; color: var(--dim); font-size: 12.5px; }
.card > div { width: 100%; }
.u-legend { font-size: 12.5px; }
.u-legend .u-marker { width: 0.9em; height: 0.9em; }
#summary { display: grid; gap: 12px; margin-top: 12px; }
.outcome { margin: 0; padding: 10px 14px; border-radius: 8px; font-weight: 600; font-size: 15px; }
.outcome.ok { background: var(--ok-bg); color: var(--ok); border: 1px solid #b7e1c4; }
.outcome.fail { background: var(--fail-bg); color: var(--fail); border: 1px solid #f3c0c0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #edf0f3; text-align: left; white-space: nowrap; }
th { color: var(--dim); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.key { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
td.ok { color: var(--ok); font-weight: 700; }
td.fail { color: var(--fail); font-weight: 700; }
.wide { overflow-x: auto; }
@media (max-width: 600px) { #plots { grid-template-columns: 1fr; } }
`;
