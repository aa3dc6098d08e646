#!/usr/bin/env node
// Copies one face out of a TrueType/OpenType collection (.ttc) into a standalone sfnt file.
// Usage: node scripts/extract-ttc-face.js <in.ttc> <faceIndex> <out.otf>
'use strict';
const fs = require('node:fs');

function extractFace(ttc, index) {
  if (ttc.toString('latin1', 0, 4) !== 'ttcf') throw new Error('not a TTC file');
  const numFonts = ttc.readUInt32BE(8);
  if (index < 0 || index >= numFonts) throw new Error(`face ${index} out of range 0..${numFonts - 1}`);
  const dir = ttc.readUInt32BE(12 + 4 * index);
  const numTables = ttc.readUInt16BE(dir + 4);
  const tables = [];
  for (let i = 0; i < numTables; i++) {
    const rec = dir + 12 + 16 * i;
    tables.push({ rec, offset: ttc.readUInt32BE(rec + 8), length: ttc.readUInt32BE(rec + 12) });
  }
  const headerLen = 12 + 16 * numTables;
  let size = headerLen;
  for (const t of tables) size += (t.length + 3) & ~3;
  const out = Buffer.alloc(size);
  ttc.copy(out, 0, dir, dir + headerLen);
  let pos = headerLen;
  tables.forEach((t, i) => {
    ttc.copy(out, pos, t.offset, t.offset + t.length);
    out.writeUInt32BE(pos, 12 + 16 * i + 8);
    pos += (t.length + 3) & ~3;
  });
  return out;
}

if (require.main === module) {
  const [input, index, output] = process.argv.slice(2);
  fs.writeFileSync(output, extractFace(fs.readFileSync(input), Number(index)));
}
module.exports = { extractFace };
