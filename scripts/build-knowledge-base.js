#!/usr/bin/env node
// `npm run build` step after tsc: writes dist/knowledge-base.bin from data/ (see src/catalog/prebuilt.ts).
// When data/ is invalid, no image is written (any old one removed) and every start reads data/, reporting the
// problem there with file, line and column, so the build itself still completes.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
// The compiled code to make the image for: dist/, or another build of the sources (the benches' .bench/build/src).
const dist = path.resolve(process.env.HAZARD_NOTICE_BUILD_DIR || path.join(__dirname, '..', 'dist'));
if (process.env.HAZARD_NOTICE_BUILD_DIR)
  process.stderr.write(`build-knowledge-base.js：为 ${dist} 生成（环境变量 HAZARD_NOTICE_BUILD_DIR）\n`);
const { writePrebuiltKnowledgeBase } = require(path.join(dist, 'catalog/load.js'));
const { PREBUILT_FILE } = require(path.join(dist, 'catalog/prebuilt.js'));

try {
  writePrebuiltKnowledgeBase();
} catch (err) {
  fs.rmSync(PREBUILT_FILE, { force: true });
  process.stderr.write(`未生成预编译知识库（启动时将直接读取 data/）：${err && err.message ? err.message : err}\n`);
}
