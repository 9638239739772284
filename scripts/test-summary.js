// Prints "N passed, N failed, N skipped" summed over Jest-format JSON reports (Jest's and Vitest's), after
// one line per group of skipped tests saying which (a suite skipped for a missing service says why in its
// title); exits 1 on failures or a missing report.
const { readFileSync } = require('node:fs');

const files = process.argv.length > 2 ? process.argv.slice(2) : ['reports/jest.json'];
const totals = { passed: 0, failed: 0, skipped: 0 };
/** Skipped tests per outermost describe (or file). */
const skippedGroups = new Map();
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
  for (const suite of report.testResults) {
    for (const test of suite.assertionResults) {
      if (!['pending', 'skipped', 'todo', 'disabled'].includes(test.status)) continue;
      const group = test.ancestorTitles?.[0] || suite.name;
      skippedGroups.set(group, (skippedGroups.get(group) ?? 0) + 1);
    }
  }
}
for (const [group, count] of skippedGroups)
  console.log(`skipped: ${group} (${count} ${count === 1 ? 'test' : 'tests'})`);
const { passed, failed, skipped } = totals;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
