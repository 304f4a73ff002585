/**
 * The dashboard page's style: dark, monospace, boxes with their title set in the top border as
 * btop draws them (a fieldset's legend does exactly that). Colours by level: ok green, warn
 * yellow, crit red, none grey. System monospace fonts only: the page loads nothing from elsewhere.
 */
export const PAGE_CSS = `:root {
  --bg: #0f1115; --panel: #14171d; --line: #394150; --text: #d3d9e3; --dim: #7c8799;
  --title: #f0f3f7; --accent: #7aa2f7;
  --ok: #5fd38d; --warn: #f2c94c; --crit: #ff5f5f; --none: #5b6472;
  color-scheme: dark;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; background: var(--bg); color: var(--text); }
body {
  font: 13px/1.35 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace;
  padding: 8px 10px 12px; min-width: 320px;
}
header {
  display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 18px;
  border: 1px solid var(--line); border-radius: 6px; padding: 5px 10px; margin-bottom: 8px;
  background: var(--panel);
}
.brand { color: var(--accent); font-weight: bold; letter-spacing: 0.08em; }
.label { color: var(--dim); }
.state { margin-left: auto; padding: 0 8px; border-radius: 3px; font-weight: bold; color: #0f1115; }
.state-live { background: var(--ok); }
.state-stale { background: var(--warn); }
.state-down { background: var(--crit); }
.state-denied { background: var(--warn); }
.state-wait { background: var(--none); color: var(--text); }
#notice {
  margin: 0 0 8px; padding: 6px 10px; border: 1px solid var(--crit); border-radius: 6px;
  color: var(--crit); background: #2a1416;
}
#token-form {
  display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 0 0 8px; padding: 10px;
  border: 1px solid var(--warn); border-radius: 6px; background: var(--panel); max-width: 760px;
}
#token-form label { flex-basis: 100%; }
#token-form input, #token-form button {
  font: inherit; color: var(--text); background: var(--bg); border: 1px solid var(--line);
  border-radius: 3px; padding: 3px 8px;
}
#token-form input { flex: 1 1 260px; }
#token-form button { cursor: pointer; color: var(--accent); }
#token-error { color: var(--crit); }
main {
  display: grid; gap: 6px 8px; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr));
  align-items: start;
}
body.stale main, body.down main { opacity: 0.45; filter: grayscale(0.6); }
fieldset.box {
  margin: 0; min-width: 0; padding: 4px 10px 8px; border: 1px solid var(--line); border-radius: 6px;
  background: var(--panel);
}
fieldset.box > legend { padding: 0 6px; color: var(--title); font-weight: bold; }
fieldset.box > legend .key { color: var(--accent); }
.wide { grid-column: 1 / -1; }
.row {
  display: grid; grid-template-columns: 12ch minmax(60px, 1fr) 9ch 84px; gap: 8px;
  align-items: center; height: 20px; white-space: nowrap;
}
.row .name { color: var(--dim); overflow: hidden; text-overflow: ellipsis; }
.row .value { text-align: right; font-weight: bold; }
.bar { display: block; height: 10px; background: repeating-linear-gradient(90deg, #232833 0 5px, transparent 5px 7px); }
.fill { display: block; height: 100%; width: 0; background: repeating-linear-gradient(90deg, currentColor 0 5px, transparent 5px 7px); }
/* A figure without a meter (a count, a rate, memory) shows no track: an empty one would read as 0 %. */
.bar.no-meter { visibility: hidden; }
.spark { width: 84px; height: 18px; display: block; }
.spark polyline { fill: none; stroke: currentColor; stroke-width: 1.3; vector-effect: non-scaling-stroke; }
.spark polygon { fill: currentColor; opacity: 0.16; stroke: none; }
.lvl-ok { color: var(--ok); }
.lvl-warn { color: var(--warn); }
.lvl-crit { color: var(--crit); }
.lvl-none { color: var(--none); }
.big { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; margin: 2px 0 6px; }
.big .figure { min-width: 0; }
.big .figure .head { display: flex; justify-content: space-between; }
.big .figure .value { font-size: 20px; font-weight: bold; }
.big .spark { width: 100%; height: 34px; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; color: var(--dim); font-weight: normal; border-bottom: 1px solid var(--line); }
td, th { padding: 1px 6px 1px 0; white-space: nowrap; }
td.num, th.num { text-align: right; }
td.meter { width: 40%; }
.cells { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; }
.cell {
  border: 1px solid currentColor; border-radius: 4px; padding: 2px 8px; min-width: 15ch;
  background: #181c23;
}
.cell .id { font-weight: bold; }
.cell .sub { color: var(--text); }
.cell.lvl-crit { background: #3a1518; }
.cell.lvl-crit .sub { color: var(--crit); font-weight: bold; }
.empty { color: var(--dim); padding: 4px 0; }
@media (min-width: 1200px) {
  body { font-size: 14px; }
  .row { height: 22px; }
  .big .spark { height: 44px; }
}
@media (max-width: 520px) {
  .row { grid-template-columns: 12ch minmax(40px, 1fr) 9ch; }
  .row .spark { display: none; }
  .big { grid-template-columns: 1fr; }
}
`;
