// Reads a vitest JSON report of the suite run on one Node line and judges it against the known
// failures of that line (.ci/known-failures.txt): exit 0 when every failing file is a known one,
// 1 when another file failed (a regression on that line), 2 when the report is missing.
//   node .ci/line-report.mjs <line> <report.json> <known-failures.txt>
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [line, reportFile, knownFile] = process.argv.slice(2);
if (!existsSync(reportFile)) {
  console.log(`[ci] node ${line}: no report (${reportFile}): the run did not finish`);
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
const known = new Map();
for (const raw of readFileSync(knownFile, 'utf8').split('\n')) {
  const text = raw.replace(/#.*/, '').trim();
  if (!text) continue;
  const [lines, file] = text.split(/\s+/);
  if (lines.split(',').includes(line)) known.set(file, raw.split('#')[1]?.trim() ?? '');
}

const passed = [];
const failed = [];
for (const result of report.testResults) {
  const file = relative(process.cwd(), result.name);
  (result.status === 'passed' ? passed : failed).push(file);
}
const unexpected = failed.filter((f) => !known.has(f));
const nowPassing = passed.filter((f) => known.has(f));

console.log(`[ci] node ${line}: ${passed.length} test files passed; ${failed.length} did not`);
for (const f of failed.sort()) {
  console.log(
    `[ci]   ${known.has(f) ? 'known  ' : 'NEW    '} ${f}${known.has(f) ? ` (${known.get(f)})` : ''}`,
  );
}
// What failed and why, so a red run can be read from CI's output alone (the full log is in
// reports/). A file that failed without a failing test (an import error, a crash) prints its
// message.
for (const result of report.testResults) {
  if (result.status === 'passed') continue;
  const file = relative(process.cwd(), result.name);
  const failedTests = (result.assertionResults ?? []).filter((t) => t.status === 'failed');
  if (failedTests.length === 0 && result.message) printFailure(file, result.message);
  for (const test of failedTests) {
    printFailure(`${file} > ${test.fullName}`, (test.failureMessages ?? []).join('\n'));
  }
}
for (const f of nowPassing.sort()) {
  console.log(`[ci]   passes now, remove it from .ci/known-failures.txt: ${f}`);
}
process.exit(unexpected.length > 0 ? 1 : 0);

function printFailure(title, message) {
  const MAX_LINES = 40;
  // Stack frames inside node_modules (vitest's runner) say nothing about the failure.
  const lines = message.split('\n').filter((text) => !/^\s+at .*node_modules/.test(text));
  console.log(`[ci] FAILED ${title}`);
  for (const text of lines.slice(0, MAX_LINES)) console.log(`[ci]   | ${text}`);
  if (lines.length > MAX_LINES) console.log(`[ci]   | … ${lines.length - MAX_LINES} more lines in the log`);
}
