// Reads jest's --json report and prints the plain closing line CI counts: `N passed, N failed[, N skipped]`.
// Exits 1 when the report is missing or shows any failure, so a run can't pass on a report it lacks.
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

function main(file) {
  const report = readReport(file);
  if (!report) {
    console.error(`CI: no jest report at ${file} (did the build or the global setup fail?)`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const { passed, failed, skipped } = countsOf(report);
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = main(process.argv[2] ?? '.test-output/jest.json');
