#!/usr/bin/env node
// Long round-trip run of the input readers (npm run fuzz [seconds] [seed]): the generators of
// test/input-roundtrip.test.ts, random cases for the given time (default 300 s). A failure prints the seed.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const seconds = Number(process.argv[2] ?? process.env.FUZZ_SECONDS ?? 300);
const seed = process.argv[3] ?? process.env.FUZZ_SEED;
if (!(seconds > 0)) {
  console.error('用法：npm run fuzz -- [秒数] [种子]');
  process.exit(2);
}
const env = { ...process.env, FUZZ_SECONDS: String(seconds), ...(seed !== undefined ? { FUZZ_SEED: String(seed) } : {}) };
const jestBin = require.resolve('jest/bin/jest');
const args = [jestBin, 'test/input-roundtrip.test.ts', '-t', 'fuzz', '--maxWorkers=1', `--testTimeout=${(seconds + 300) * 1000}`];
const run = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: path.join(__dirname, '..'), env });
process.exitCode = run.status ?? 1;
