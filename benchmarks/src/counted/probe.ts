/**
 * One counted process: builds every case, checks it, warms both sides of every case up (2 × ops
 * each), collects garbage, and then — only when argv names a case and side — runs that side
 * `ops × multiplier` more times. The baseline run (no argv) stops after the collection.
 * run-counted.ts runs this under valgrind and subtracts the baseline run's total from each
 * measured run's: everything up to the collection (startup, setup, warm-up) is the same in both
 * and cancels. The collection puts both at the same heap state, so a major GC that the warm-up
 * made due does not land in one measured region and not in another.
 *
 * argv: [case name, side ("subject" | "reference"), multiplier] or nothing (baseline run)
 */
import { COUNTED_CASES } from './cases.js';

const [onlyName, onlySide, multiplierArg] = process.argv.slice(2);
const multiplier = Number(multiplierArg ?? 0);
let sink = 0;
const cases = Object.entries(COUNTED_CASES).map(([name, spec]) => ({ name, spec, made: spec.make() }));
for (const { made } of cases) made.check();
for (const { made, spec } of cases) {
  for (let i = 0; i < spec.ops * 2; i++) sink += made.subject() === undefined ? 0 : 1;
  for (let i = 0; i < spec.ops * 2; i++) sink += made.reference() === undefined ? 0 : 1;
}
(globalThis as { gc?: () => void }).gc?.();
const chosen = cases.find((c) => c.name === onlyName);
if (onlyName !== undefined && chosen === undefined) throw new Error(`no counted case ${onlyName}`);
if (chosen !== undefined && (onlySide === 'subject' || onlySide === 'reference')) {
  const fn = chosen.made[onlySide];
  const times = chosen.spec.ops * multiplier;
  for (let i = 0; i < times; i++) sink += fn() === undefined ? 0 : 1;
}
process.stdout.write(`${JSON.stringify({ sink })}\n`);
