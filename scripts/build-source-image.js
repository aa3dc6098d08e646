#!/usr/bin/env node
// `npm run build` step after tsc: writes dist/source-values.bin, the checked values of the bundled YAML files (region
// config, template settings), the bundled templates' precompiled Handlebars and their QR codes' matrices and DOCX PNG
// pictures (see
// src/source-image.ts). On failure no
// image is written (any old one removed) and every start parses and compiles as before, so the build still completes.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
// The compiled code to make the image for: dist/, or another build of the sources (the benches' .bench/build/src).
const dist = path.resolve(process.env.HAZARD_NOTICE_BUILD_DIR || path.join(__dirname, '..', 'dist'));
if (process.env.HAZARD_NOTICE_BUILD_DIR)
  process.stderr.write(`build-source-image.js：为 ${dist} 生成（环境变量 HAZARD_NOTICE_BUILD_DIR）\n`);
const { recordSourceValues, SOURCE_IMAGE_FILE } = require(path.join(dist, 'source-image.js'));
const { loadTemplate } = require(path.join(dist, 'letter/template.js'));
const { loadRegionConfig } = require(path.join(dist, 'config/region.js'));
const { qrMatrix } = require(path.join(dist, 'render/layout/qr-code.js'));
const { qrPngPart } = require(path.join(dist, 'render/docx/qr-drawing.js'));

try {
  const recorder = recordSourceValues();
  const root = path.join(__dirname, '..');
  for (const dir of fs.readdirSync(path.join(root, 'templates')).sort()) {
    for (const { url } of loadTemplate(path.join(root, 'templates', dir)).qrCodes) qrPngPart({ url, matrix: qrMatrix(url) });
  }
  for (const file of fs.readdirSync(path.join(root, 'config')).filter((f) => f.endsWith('.yaml'))) {
    loadRegionConfig(path.join(root, 'config', file));
  }
  recorder.write();
} catch (err) {
  fs.rmSync(SOURCE_IMAGE_FILE, { force: true });
  process.stderr.write(`未生成预制模板与配置（启动时将现场解析）：${err && err.message ? err.message : err}\n`);
}
