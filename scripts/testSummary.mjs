#!/usr/bin/env node
// Prints the last line CI reads, "N passed, M failed", from vitest's JSON report.
// A missing report (typecheck or lint failed before vitest ran) counts as one failure.
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? 'test-results/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch {
  console.log(`no test report at ${path}: the test command failed before the tests ran`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
const ran = passed + failed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || ran === 0 ? 1 : 0);
