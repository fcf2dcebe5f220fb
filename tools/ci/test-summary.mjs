#!/usr/bin/env node
// Sums the Jest results of every project into one closing line: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const projects = [
  'packages/schema',
  'packages/simulator',
  'packages/analyzers',
  'packages/report-renderer',
  'packages/importers',
  'packages/clickhouse',
  'apps/cli',
  'apps/viewer',
  'tools/bench',
  'tools/integration',
  'tools/docs-test',
];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const project of projects) {
  const file = join(project, 'coverage', 'test-results.json');
  if (!existsSync(file)) continue;
  const results = JSON.parse(readFileSync(file, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + (results.numTodoTests ?? 0);
  console.log(`${project}: ${results.numPassedTests} passed, ${results.numFailedTests} failed`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
