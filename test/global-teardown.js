// Jest global teardown: removes the run's compiled sources and scratch data directory (see global-setup.js).
'use strict';
const fs = require('node:fs');

module.exports = async () => {
  const outDir = globalThis.hazardNoticeTestBuild;
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  const dataDir = globalThis.hazardNoticeDataDir;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
};
