// Jest global setup: compiles src/ once per run into a folder of this run's own under .test-build/, so batch
// worker threads load plain JavaScript instead of transpiling the sources again in every worker of every batch.
// tsc with tsconfig.build.json and --noCheck: no type checking here, as none under ts-jest (isolatedModules);
// `npm run build` checks types. The folder is made fresh at the start of each run (never a stale dist/) and
// removed by global-teardown.js. In watch mode nothing is compiled: sources change during the session, so
// workers transpile on load as before.
// The tool's data directory (the register): HAZARD_NOTICE_DATA_DIR as run-tests.js sets it, else a scratch folder of
// this run's own, so a plain `npx jest` never writes into the user's real data directory.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');

module.exports = async (globalConfig) => {
  if (!process.env.HAZARD_NOTICE_DATA_DIR) {
    process.env.HAZARD_NOTICE_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-data-'));
    globalThis.hazardNoticeDataDir = process.env.HAZARD_NOTICE_DATA_DIR; // removed by global-teardown.js
  }
  if (globalConfig.watch || globalConfig.watchAll) return;
  // Inside the package (not os.tmpdir()): compiled code finds package.json, data/ and node_modules from there.
  const parent = path.join(root, '.test-build');
  fs.mkdirSync(parent, { recursive: true });
  const outDir = fs.mkdtempSync(path.join(parent, 'run-'));
  const tsc = require.resolve('typescript/bin/tsc');
  const args = [tsc, '-p', 'tsconfig.build.json', '--noCheck', '--outDir', outDir];
  const res = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (res.status !== 0) {
    fs.rmSync(outDir, { recursive: true, force: true });
    throw new Error(`global setup: tsc failed to compile src/ (${res.status}):\n${res.stdout}${res.stderr}`);
  }
  process.env.HAZARD_NOTICE_TEST_BUILD = outDir; // read by src/batch/worker-pool.ts; inherited by jest's workers
  globalThis.hazardNoticeTestBuild = outDir; // for global-teardown.js
};
