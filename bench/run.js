#!/usr/bin/env node
// `npm run bench -- --letters 10000`: compiles the batch and bench/batch.ts with tsc into .bench/build
// (plain JavaScript, as installed users run it), then runs the bench there.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const outDir = path.join(root, '.bench', 'build');
const tsc = require.resolve('typescript/bin/tsc');
// A tsconfig for the bench build: the project's options, sources and bench only (no tests).
const tsconfig = path.join(root, '.bench', 'tsconfig.json');
fs.mkdirSync(path.dirname(tsconfig), { recursive: true });
fs.writeFileSync(
  tsconfig,
  JSON.stringify({
    extends: '../tsconfig.json',
    compilerOptions: { outDir: 'build', rootDir: '..', sourceMap: false, types: ['node'] },
    include: ['../src/**/*.ts', '../bench/**/*.ts'],
    exclude: ['../src/**/*.test.ts'],
  }),
);
const compile = spawnSync(process.execPath, [tsc, '-p', tsconfig], { stdio: 'inherit', cwd: root });
if (compile.status !== 0) process.stderr.write('bench: tsc reported errors (output still emitted; see above)\n');
const run = spawnSync(process.execPath, [path.join(outDir, 'bench', 'batch.js'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
