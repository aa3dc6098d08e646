#!/usr/bin/env node
// `npm run bench -- --letters 10000`: compiles the batch and bench/batch.ts with tsc into .bench/build
// (plain JavaScript, as installed users run it), then runs the bench there.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const outDir = path.join(root, '.bench', 'build');
const tsc = require.resolve('typescript/bin/tsc');
const compile = spawnSync(
  process.execPath,
  [
    tsc, '--outDir', outDir, '--rootDir', root, '--target', 'ES2022', '--module', 'commonjs', '--moduleResolution', 'node',
    '--strict', '--esModuleInterop', '--resolveJsonModule', '--skipLibCheck', '--types', 'node',
    path.join(root, 'bench', 'batch.ts'), path.join(root, 'src', 'batch', 'letter-worker.ts'),
  ],
  { stdio: 'inherit', cwd: root },
);
if (compile.status !== 0) {
  process.stderr.write('bench: tsc failed\n');
  process.exit(1);
}
const run = spawnSync(process.execPath, [path.join(outDir, 'bench', 'batch.js'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
