// Reads jest's --json reports (one per run: `node .ci/jest-summary.js a.json [b.json …]`) and prints the
// plain closing line CI counts, `N passed, N failed[, N skipped]`, summed over every run, after one line
// per run when there are several. Exits 1 when a report is missing or shows any failure, so a run can't
// pass on a report it lacks.
'use strict';
const { existsSync, readFileSync } = require('node:fs');

function readReport(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function countsOf(report) {
  const passed = report.numPassedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to run (syntax error, import failure) has no failed tests of its own.
  let failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  if (failed === 0 && ((report.numFailedTestSuites ?? 0) > 0 || report.success === false)) {
    failed = Math.max(report.numFailedTestSuites ?? 0, 1);
  }
  return { passed, failed, skipped };
}

const line = ({ passed, failed, skipped }) => `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;

function main(files) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const file of files) {
    const report = readReport(file);
    const counts = report ? countsOf(report) : { passed: 0, failed: 1, skipped: 0 };
    if (!report) console.error(`CI: no jest report at ${file} (did the build or the global setup fail?)`);
    if (files.length > 1) console.error(`CI: ${file}: ${line(counts)}`);
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  console.log(line(total));
  return total.failed > 0 ? 1 : 0;
}

const files = process.argv.slice(2);
process.exitCode = main(files.length > 0 ? files : ['.test-output/jest.json']);
