import type { BaselineCheck } from '../summary/baseline.js';
import type { Summary } from '../summary/summary.js';

/**
 * `--out junit=FILE`: JUnit XML for CI (GitLab's `reports: junit`). One test case per threshold
 * and per baseline comparison; a breach is a <failure> with the measured value.
 */
export function renderJunit(summary: Summary, baseline: readonly BaselineCheck[] = []): string {
  const cases: string[] = [];
  let failures = 0;
  for (const t of summary.thresholds) {
    const name = `${t.metric} ${t.expression}`;
    if (t.ok) {
      cases.push(`    <testcase classname="thresholds" name="${esc(name)}"/>`);
    } else {
      failures++;
      const why = t.actual === undefined ? (t.reason ?? 'no value') : `actual ${t.actual}`;
      cases.push(
        `    <testcase classname="thresholds" name="${esc(name)}">\n      <failure message="${esc(`${name} failed: ${why}`)}" type="threshold"/>\n    </testcase>`,
      );
    }
  }
  for (const b of baseline) {
    const name = `${b.metric} ${b.stat} within baseline`;
    if (b.ok) {
      cases.push(`    <testcase classname="baseline" name="${esc(name)}"/>`);
    } else {
      failures++;
      cases.push(
        `    <testcase classname="baseline" name="${esc(name)}">\n      <failure message="${esc(`${b.metric} ${b.stat} ${b.current} exceeds the limit ${b.limit} (baseline ${b.baseline})`)}" type="baseline"/>\n    </testcase>`,
      );
    }
  }
  const time = (summary.durationMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="leviathan-load" tests="${cases.length}" failures="${failures}" time="${time}">`,
    `  <testsuite name="${esc(summary.scenarioFile)}" tests="${cases.length}" failures="${failures}" errors="0" time="${time}" timestamp="${esc(summary.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function esc(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => `&${({ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' } as const)[c as '<']};`,
  );
}
