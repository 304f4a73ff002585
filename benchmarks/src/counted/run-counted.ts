import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { round } from '../harness/baseline.js';
import { writeBenchmarksDoc } from '../harness/docs.js';
import { judge, type Verdict } from '../harness/gate.js';
import { currentCommit } from '../harness/git-commit.js';
import { paths } from '../harness/paths.js';
import { bundleProbe } from './bundle.js';
import { COUNTED_CASES } from './cases.js';
import { countInstructions, inParallel } from './count-instructions.js';
import {
  COUNTED_TOLERANCE,
  type CountedFigure,
  readCountedBaseline,
  writeCountedBaseline,
} from './counted-baseline.js';

/** Operations of the measured side in a counted run: ops × MULTIPLIER. */
const MULTIPLIER = 2;

/**
 * `pnpm bench:counted [--update-baseline]`: the gate that cannot flake. For each case, the
 * instructions per operation of its subject and of its reference, from differences of valgrind
 * totals (one baseline run, plus one run per case and side that runs that side 2 × ops more after
 * the common part), so startup, setup and warm-up cancel. Instruction counts do not depend on the machine's load.
 */
async function main(): Promise<void> {
  const update = process.argv.includes('--update-baseline');
  const dir = mkdtempSync(join(tmpdir(), 'lev-counted-'));
  try {
    const probe = join(dir, 'probe.mjs');
    await bundleProbe(probe);
    const names = Object.keys(COUNTED_CASES);
    const runs: Array<{ args: string[] }> = [{ args: [] }];
    for (const name of names) {
      for (const side of ['subject', 'reference']) runs.push({ args: [name, side, String(MULTIPLIER)] });
    }
    const started = performance.now();
    process.stderr.write(`[counted] ${runs.length} runs under valgrind, ${cpus().length} at a time ...\n`);
    const totals = await inParallel(
      runs.map((r) => () => countInstructions(probe, r.args)),
      Math.max(1, cpus().length),
    );
    const base = totals[0] as number;
    const figures: Record<string, CountedFigure> = {};
    names.forEach((name, i) => {
      const extra = (COUNTED_CASES[name] as { ops: number }).ops * MULTIPLIER;
      const subject = ((totals[1 + i * 2] as number) - base) / extra;
      const reference = ((totals[2 + i * 2] as number) - base) / extra;
      if (!(subject > 0 && reference > 0))
        throw new Error(`${name}: no instructions counted (${subject}, ${reference})`);
      figures[name] = {
        subject: round(subject),
        reference: round(reference),
        ratio: round(subject / reference),
        tolerance: COUNTED_TOLERANCE,
      };
    });
    process.stderr.write(`[counted] done in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);

    const baseline = readCountedBaseline(paths.countedBaseline);
    const rows: Array<[string, string, string, string, string, string, Verdict]> = [];
    for (const [name, f] of Object.entries(figures)) {
      const b = baseline?.cases[name];
      rows.push([
        name,
        String(Math.round(f.subject)),
        String(Math.round(f.reference)),
        `${f.ratio.toFixed(3)}x`,
        b === undefined ? '' : `${b.ratio.toFixed(3)}x`,
        b === undefined ? '' : `+${Math.round(b.tolerance * 100)}%`,
        judge(f.ratio, b?.ratio, b?.tolerance),
      ]);
    }
    const header = [
      'case (instructions per op)',
      'subject',
      'reference',
      'ratio',
      'baseline',
      'tolerance',
      'verdict',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    const line = (r: readonly string[]) =>
      r
        .map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
        .join('  ')
        .trimEnd();
    console.log([line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));

    if (update) {
      for (const [name, f] of Object.entries(figures))
        f.tolerance = baseline?.cases[name]?.tolerance ?? f.tolerance;
      writeCountedBaseline(paths.countedBaseline, {
        recordedAt: new Date().toISOString(),
        commit: currentCommit(paths.root),
        node: process.version,
        cases: figures,
      });
      writeBenchmarksDoc();
      console.log(`\nbaseline accepted: ${paths.countedBaseline}, ${paths.doc}`);
      return;
    }
    if (baseline === undefined) {
      console.log('\nno baseline yet: `pnpm bench:counted --update-baseline` records one');
      return;
    }
    if (baseline.node !== process.version)
      console.log(
        `\nnote: the baseline was counted on Node ${baseline.node}, this run on ${process.version}`,
      );
    const regressed = rows.filter((r) => r[6] === 'REGRESSED');
    if (regressed.length > 0) {
      console.log(
        `\n${regressed.length} case(s) REGRESSED past their tolerance (instruction counts do not flake: this is the code)`,
      );
      process.exitCode = 1;
    } else console.log('\ncounted gate: every case within its tolerance');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
