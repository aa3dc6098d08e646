// Jest global teardown: removes the run's compiled sources (see global-setup.js).
'use strict';
const fs = require('node:fs');

module.exports = async () => {
  const outDir = globalThis.hazardNoticeTestBuild;
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
};
