#!/usr/bin/env node
// `npm run bench`: builds the package (npm run build) and measures the start-up targets as whole CLI processes
// (bench/targets.js). `npm run bench -- --letters 10000`: compiles the batch and bench/batch.ts with tsc into
// .bench/build (plain JavaScript, as installed users run it), then runs the batch bench there; `--server` the web
// app's load run (bench/server.ts); `--peers [--sizes 1,20,300]` the side-by-side table against the peers
// (bench/peers.js, after the package build); `--campaign [--employers N]` the campaign import and status over a
// 100,000-employer database (bench/campaign.ts).
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
const node = (args, env) => spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } }).status ?? 1;
const batchBench = path.join(outDir, 'bench', 'batch.js');
// The build's images (knowledge base, DOCX skeletons, template and config values) for this build too, as
// `npm run build` makes them for dist/: an installed copy never parses data/ or the template's YAML at run time.
const imageScripts = ['build-knowledge-base.js', 'build-docx-skeletons.js', 'build-source-image.js'];
if (['--letters', '--campaign', '--server'].some((a) => process.argv.includes(a))) {
  for (const script of imageScripts) node([path.join(root, 'scripts', script)], { HAZARD_NOTICE_BUILD_DIR: path.join(outDir, 'src') });
}
if (process.argv.includes('--letters')) process.exit(node([batchBench, ...process.argv.slice(2)]));
if (process.argv.includes('--campaign')) process.exit(node([path.join(outDir, 'bench', 'campaign.js'), ...process.argv.slice(2)]));
// `--server`: the web app under load (bench/server.ts).
if (process.argv.includes('--server')) process.exit(node([path.join(outDir, 'bench', 'server.js'), ...process.argv.slice(2)]));
// The targets run the CLI as installed: dist/ and its prebuilt knowledge base, as `npm run build` makes them.
const steps = [
  [tsc, '-p', 'tsconfig.build.json'],
  ...imageScripts.map((script) => [path.join(root, 'scripts', script)]),
  [batchBench, '--letters', '300', '--make-only'],
];
const peers = process.argv.includes('--peers');
for (const step of peers ? steps.slice(0, 4) : steps) if (node(step) !== 0) process.exit(1);
if (peers) process.exit(node([path.join(__dirname, 'peers.js'), ...process.argv.slice(2)]));
process.exit(node([path.join(__dirname, 'targets.js'), ...process.argv.slice(2)]));
