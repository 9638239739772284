// Prints "N passed, N failed[, N skipped]" from Jest's JSON report; exits 1 on failures or a missing report.
const { readFileSync } = require('node:fs');

const file = process.argv[2] ?? 'reports/jest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log(`0 passed, 1 failed (no test report at ${file})`);
  process.exit(1);
}
// Suites that failed to run (a compile error, a crash) count as failures even with no test inside.
const brokenSuites = report.testResults.filter(
  (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
).length;
const failed = report.numFailedTests + brokenSuites;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || report.numPassedTests === 0 ? 1 : 0);
