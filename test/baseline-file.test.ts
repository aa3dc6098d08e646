// A missing baseline fails; only UPDATE_BASELINES=1 records one; a committed one is never overwritten.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readBaseline } from './baseline-file';

const saved = process.env.UPDATE_BASELINES;
afterEach(() => {
  jest.restoreAllMocks();
  if (saved === undefined) delete process.env.UPDATE_BASELINES;
  else process.env.UPDATE_BASELINES = saved;
});

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hn-baseline-'));

test('a missing baseline throws and is not written', () => {
  delete process.env.UPDATE_BASELINES;
  const file = path.join(scratch(), 'baselines', 'page.png');
  expect(() => readBaseline(file, Buffer.from('actual'))).toThrow(/baseline .*page\.png is missing: record it with UPDATE_BASELINES=1/);
  expect(fs.existsSync(file)).toBe(false);
});

test('a committed baseline is read back, not replaced by the actual output', () => {
  delete process.env.UPDATE_BASELINES;
  const file = path.join(scratch(), 'page.png');
  fs.writeFileSync(file, 'committed');
  expect(readBaseline(file, Buffer.from('actual')).toString()).toBe('committed');
  expect(fs.readFileSync(file, 'utf8')).toBe('committed');
});

test('UPDATE_BASELINES=1 records the actual output', () => {
  process.env.UPDATE_BASELINES = '1';
  const file = path.join(scratch(), 'baselines', 'page.png');
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  expect(readBaseline(file, Buffer.from('actual')).toString()).toBe('actual');
  expect(fs.readFileSync(file, 'utf8')).toBe('actual');
});
