#!/usr/bin/env node
// `npm run build` step after tsc: writes dist/docx-skeletons.bin, the DOCX skeletons of the bundled template on every
// grid it may be set on (linesPerPage … maxLinesPerPage) with each seal of the bundled region config (see
// src/render/docx/prebuilt-skeletons.ts). On failure no image is written (any old one removed) and letters pack
// their skeleton at run time as before, so the build itself still completes.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
// The compiled code to make the image for: dist/, or another build of the sources (the benches' .bench/build/src).
const dist = path.resolve(process.env.HAZARD_NOTICE_BUILD_DIR || path.join(__dirname, '..', 'dist'));
if (process.env.HAZARD_NOTICE_BUILD_DIR)
  process.stderr.write(`build-docx-skeletons.js：为 ${dist} 生成（环境变量 HAZARD_NOTICE_BUILD_DIR）\n`);
const { loadTemplate, LETTER_LANGUAGE } = require(path.join(dist, 'letter/template.js'));
const { loadRegionConfig } = require(path.join(dist, 'config/region.js'));
const { prebuildSkeletons } = require(path.join(dist, 'render/docx/render-docx.js'));
const { PREBUILT_SKELETONS_FILE } = require(path.join(dist, 'render/docx/prebuilt-skeletons.js'));

async function main() {
  const { layout } = loadTemplate();
  const seals = [
    undefined,
    ...loadRegionConfig()
      .counties.map((c) => c.seal)
      .filter(Boolean),
  ];
  const inputs = [];
  for (let lines = layout.linesPerPage; lines <= layout.maxLinesPerPage; lines++) {
    // As renderDocx keys a letter set on a tighter grid: the template's layout with linesPerPage replaced.
    const grid = lines === layout.linesPerPage ? layout : { ...layout, linesPerPage: lines };
    for (const seal of seals) inputs.push({ layout: grid, language: LETTER_LANGUAGE, seal });
  }
  await prebuildSkeletons(inputs);
}

main().catch((err) => {
  fs.rmSync(PREBUILT_SKELETONS_FILE, { force: true });
  process.stderr.write(`未生成预制 Word 骨架（生成 Word 时将现场打包）：${err && err.message ? err.message : err}\n`);
});
