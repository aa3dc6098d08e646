#!/usr/bin/env node
'use strict';
require('../dist/cli/engine-tuning.js').runsAsCommand();
require('../dist/cli/main.js')
  .main(process.argv)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`内部错误：${err && err.stack ? err.stack : err}\n`);
      process.exitCode = 70;
    },
  );
