// V8 tuned per run: a short command-line run (a letter, a small batch) goes without TurboFan, its worker threads too;
// a large batch, a look-up and any process that is not the command-line program's own (the web server, tests) keep it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const build = process.env.HAZARD_NOTICE_TEST_BUILD;
const root = path.join(__dirname, '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-engine-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function compiled(): string {
  if (!build) throw new Error('HAZARD_NOTICE_TEST_BUILD is not set: run the tests with npm test (test/global-setup.js compiles src/)');
  return build;
}

describe('forgoOptimisingCompiler', () => {
  // TurboFan asked to optimise a function at once: whether it did, in the process's own thread and in a worker thread.
  const probe =
    'function f(x) { return x + 1; } %PrepareFunctionForOptimization(f); f(1); f(2); %OptimizeFunctionOnNextCall(f); f(3); ' +
    '(%GetOptimizationStatus(f) & 64) !== 0';
  const child = `
const tuning = require(${JSON.stringify(path.join(compiled(), 'cli', 'engine-tuning.js'))});
if (process.argv[1] === 'command') tuning.runsAsCommand();
tuning.forgoOptimisingCompiler();
const main = eval(${JSON.stringify(probe)});
const { Worker } = require('node:worker_threads');
new Worker(${JSON.stringify(`require('node:worker_threads').parentPort.postMessage(eval(${JSON.stringify(probe)}))`)}, { eval: true })
  .on('message', (worker) => console.log(JSON.stringify({ main, worker })));
`;
  const optimised = (who: string) => {
    const res = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', child, who], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    return JSON.parse(res.stdout) as { main: boolean; worker: boolean };
  };

  test('in the command-line program’s process: no TurboFan, in worker threads either', () => {
    expect(optimised('command')).toEqual({ main: false, worker: false });
  });

  test('in any other process (web server, tests): nothing changes', () => {
    expect(optimised('server')).toEqual({ main: true, worker: true });
  });
});

describe('the command line chooses by command and input size', () => {
  // bin/hazard-notice.js as installed, its dist/ being this test run's build; every V8 flag it sets is logged.
  const install = path.join(scratch, 'package');
  const logFile = path.join(scratch, 'flags.log');
  const recorder = path.join(scratch, 'record-flags.js');
  beforeAll(() => {
    fs.mkdirSync(path.join(install, 'bin'), { recursive: true });
    fs.copyFileSync(path.join(root, 'bin', 'hazard-notice.js'), path.join(install, 'bin', 'hazard-notice.js'));
    fs.symlinkSync(compiled(), path.join(install, 'dist'));
    fs.writeFileSync(
      recorder,
      `const v8 = require('node:v8'); const set = v8.setFlagsFromString;
v8.setFlagsFromString = (flags) => { require('node:fs').appendFileSync(${JSON.stringify(logFile)}, flags + '\\n'); set(flags); };`,
    );
  });

  const flagsSet = (...args: string[]): string[] => {
    fs.rmSync(logFile, { force: true });
    const res = spawnSync(process.execPath, ['--require', recorder, path.join(install, 'bin', 'hazard-notice.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, HAZARD_NOTICE_DATA_DIR: path.join(scratch, 'data') },
    });
    expect(res.stderr).not.toMatch(/内部错误/);
    return fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n') : [];
  };

  const header = '单位名称,统一社会信用代码,行业,区县\n';
  const row = '柳州市恒通机械有限公司,,C3011,城中区\n';

  test('a batch of a small input (≤ 64 KB): without TurboFan', () => {
    const small = path.join(scratch, 'small.csv');
    fs.writeFileSync(small, header + row.repeat(3));
    expect(flagsSet('batch', small, '--dry-run', '--out', path.join(scratch, 'out-small'))).toContain('--no-turbofan');
  });

  test('a batch of a large input (> 64 KB): with TurboFan', () => {
    const large = path.join(scratch, 'large.csv');
    fs.writeFileSync(large, header + row.repeat(Math.ceil((64 * 1024) / Buffer.byteLength(row)) + 1));
    expect(fs.statSync(large).size).toBeGreaterThan(64 * 1024);
    expect(flagsSet('batch', large, '--dry-run', '--out', path.join(scratch, 'out-large'))).not.toContain('--no-turbofan');
  });

  test('a batch whose input cannot be read: its error as before, TurboFan kept', () => {
    expect(flagsSet('batch', path.join(scratch, 'missing.csv'), '--dry-run')).not.toContain('--no-turbofan');
  });

  test('a letter: without TurboFan; a look-up: unchanged', () => {
    const letter = ['letter', '--name', '柳州市恒通机械有限公司', '--industry', 'C3011', '--county', '城中区', '--format', 'docx'];
    expect(flagsSet(...letter, '--out', path.join(scratch, 'letter'))).toContain('--no-turbofan');
    expect(flagsSet('industry', 'C3011')).toEqual([]);
  });
});
