#!/usr/bin/env node
// Prints the last line CI reads, "N passed, M failed", from vitest's JSON report.
// Usage: testSummary.mjs REPORT [EXIT_STATUS_OF_THE_TEST_COMMAND]
// A file that failed to load counts as one failure; so does a failing test command (typecheck, lint,
// coverage threshold, unhandled error) whose report shows no failed test.
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? 'test-results/vitest.json';
const commandStatus = Number(process.argv[3] ?? 0);
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch {
  console.log(`no test report at ${path}: the test command failed before the tests ran`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const brokenFiles = (report.testResults ?? []).filter(
  (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
).length;
let failed = (report.numFailedTests ?? 0) + brokenFiles;
if (failed === 0 && (commandStatus !== 0 || report.success === false)) {
  console.log(`the test command exited ${commandStatus} with no failed test: see the output above`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
