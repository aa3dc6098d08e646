#!/usr/bin/env node
// Runs jest, then prints the plain closing line "N passed, N failed" that CI reads, with ", N skipped" when
// tests were skipped (a tool such as soffice or unzip missing). Under CI (CI=true) a skipped test counts as
// failed: CI installs everything the tests need. Tests make their scratch folders under os.tmpdir(): here a
// folder of this run's own (TMPDIR), removed at the end. The tool's data directory (the register) is in there too
// (HAZARD_NOTICE_DATA_DIR), so no test writes into the user's real data directory.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-test-'));
const resultFile = path.join(scratch, 'result.json');
const jestBin = require.resolve('jest/bin/jest');
const run = spawnSync(process.execPath, [jestBin, '--json', `--outputFile=${resultFile}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: path.join(__dirname, '..'),
  env: { ...process.env, TMPDIR: scratch, HAZARD_NOTICE_DATA_DIR: path.join(scratch, 'data') },
});
let passed = 0;
let failed = 0;
let skipped = 0;
let suitesFailed = 0;
try {
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  passed = result.numPassedTests;
  failed = result.numFailedTests;
  skipped = result.numPendingTests + result.numTodoTests;
  suitesFailed = result.numFailedTestSuites;
} catch {
  failed = 1; // jest died before writing its result
}
// A suite that fails to load has no failed tests of its own: count it so the line is not green.
if (failed === 0 && suitesFailed > 0) failed = suitesFailed;
const ci = !['', '0', 'false'].includes(process.env.CI ?? '');
if (skipped > 0 && ci) {
  process.stdout.write(`\nCI: ${skipped} skipped test(s) count as failed; CI installs every tool the tests need.\n`);
  failed += skipped;
}
fs.rmSync(scratch, { recursive: true, force: true });
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
process.exitCode = failed > 0 || run.status !== 0 ? 1 : 0;
