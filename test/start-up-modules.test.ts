// What a start loads. A look-up, a letter and a small batch whose knowledge base, region config and template come
// from the build's images never load zod (~12 ms, and more to build its schemas): it is loaded only when a file is
// actually checked, such as a user's own columns file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');
const build = process.env.HAZARD_NOTICE_TEST_BUILD;
// The package as `npm run build` leaves it: this run's compiled sources plus the build's images, under the repository
// (package.json, data/, fonts/ are found above it, as from dist/).
const pkg = fs.mkdtempSync(path.join(root, '.test-build', 'installed-'));
const scratch = path.join(pkg, 'scratch');
const log = path.join(scratch, 'loaded.log');
const recorder = path.join(scratch, 'record-zod.js');

beforeAll(() => {
  if (!build) throw new Error('HAZARD_NOTICE_TEST_BUILD is not set: run the tests with npm test (test/global-setup.js compiles src/)');
  fs.cpSync(build, path.join(pkg, 'dist'), { recursive: true });
  for (const dir of ['bin', 'scripts']) fs.cpSync(path.join(root, dir), path.join(pkg, dir), { recursive: true });
  for (const dir of ['templates', 'config']) fs.symlinkSync(path.join(root, dir), path.join(pkg, dir));
  for (const script of ['build-knowledge-base.js', 'build-docx-skeletons.js', 'build-source-image.js']) {
    const res = spawnSync(process.execPath, [path.join(pkg, 'scripts', script)], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
  }
  for (const image of ['knowledge-base.bin', 'docx-skeletons.bin', 'source-values.bin'])
    expect(fs.existsSync(path.join(pkg, 'dist', image))).toBe(true);
  fs.mkdirSync(scratch);
  fs.writeFileSync(
    recorder,
    `const Module = require('node:module'); const load = Module._load;
Module._load = function (request, ...rest) {
  if (/^zod(\\/|$)/.test(request)) require('node:fs').appendFileSync(${JSON.stringify(log)}, request + '\\n');
  return load.call(this, request, ...rest);
};`,
  );
}, 120_000);
afterAll(() => fs.rmSync(pkg, { recursive: true, force: true }));

/** Runs the installed command; whether it loaded zod. */
function loadsZod(...args: string[]): boolean {
  fs.rmSync(log, { force: true });
  const res = spawnSync(process.execPath, ['--require', recorder, path.join(pkg, 'bin', 'hazard-notice.js'), ...args], {
    encoding: 'utf8',
    cwd: scratch,
    env: { ...process.env, HAZARD_NOTICE_DATA_DIR: path.join(scratch, 'data') },
  });
  expect(`${res.stderr}`).not.toMatch(/错误/);
  expect(res.status).toBe(0);
  return fs.existsSync(log);
}

const csv = (name: string, header: string) => {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, `${header}\n柳州市恒通机械有限公司,,C3011,城中区\n柳州市明达化工有限公司,,C2614,柳南区\n`);
  return file;
};

test('look-ups, a letter and a small batch from the build’s images do not load zod', () => {
  expect(loadsZod('industry', 'C3011')).toBe(false);
  expect(loadsZod('hazard', '苯', '--date', '2026-11-29')).toBe(false);
  expect(
    loadsZod(
      'letter',
      '--name',
      '柳州市恒通机械有限公司',
      '--industry',
      'C3011',
      '--county',
      '城中区',
      '--date',
      '2026-11-29',
      '--out',
      path.join(scratch, 'letter'),
    ),
  ).toBe(false);
  expect(
    loadsZod('batch', csv('rows.csv', '单位名称,统一社会信用代码,行业,区县'), '--date', '2026-11-29', '--out', path.join(scratch, 'batch')),
  ).toBe(false);
});

test('a file the build has not seen is checked with zod (a user’s columns file)', () => {
  const columns = path.join(scratch, 'columns.yaml');
  fs.writeFileSync(columns, 'columns:\n  name: 企业\n  uscc: 代码\n  industry: 行业\n  county: 县\n');
  const input = csv('own-header.csv', '企业,代码,行业,县');
  expect(loadsZod('batch', input, '--columns', columns, '--date', '2026-11-29', '--out', path.join(scratch, 'own'))).toBe(true);
});
