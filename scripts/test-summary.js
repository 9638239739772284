// Prints "N passed, N failed[, N skipped]" summed over Jest-format JSON reports (Jest's and Vitest's);
// exits 1 on failures or a missing report.
const { readFileSync } = require('node:fs');

const files = process.argv.length > 2 ? process.argv.slice(2) : ['reports/jest.json'];
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.error(`no test report at ${file}`);
    totals.failed += 1;
    continue;
  }
  // Suites that failed to run (a compile error, a crash) count as failures even with no test inside.
  const brokenSuites = report.testResults.filter(
    (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
  ).length;
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests + brokenSuites;
  totals.skipped += report.numPendingTests + report.numTodoTests;
}
const { passed, failed, skipped } = totals;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
