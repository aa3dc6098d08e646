#!/usr/bin/env node
// Runs jest, then prints the plain closing line "N passed, N failed" that CI reads.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const resultFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hn-jest-')), 'result.json');
const jestBin = require.resolve('jest/bin/jest');
const run = spawnSync(process.execPath, [jestBin, '--json', `--outputFile=${resultFile}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: path.join(__dirname, '..'),
});
let passed = 0;
let failed = 0;
let suitesFailed = 0;
try {
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  passed = result.numPassedTests;
  failed = result.numFailedTests;
  suitesFailed = result.numFailedTestSuites;
} catch {
  failed = 1; // jest died before writing its result
}
// A suite that fails to load has no failed tests of its own: count it so the line is not green.
if (failed === 0 && suitesFailed > 0) failed = suitesFailed;
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 || run.status !== 0 ? 1 : 0;
