// Output locations the user can get wrong: a Chinese error naming the path and what to do, exit 2, never a stack trace.
// (A full or read-only disk, which needs a disk of its own, is in batch-disk-full.test.ts.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, type CliRun } from './cli-run';
import { MAIN_ROWS, writeCsv } from './fixtures/batch/harness';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-fs-cli-'));
const plainFile = path.join(dir, 'plain.txt');
fs.writeFileSync(plainFile, 'not a folder');
const input = writeCsv(dir, 'list.csv', MAIN_ROWS.slice(0, 2));
const LETTER = ['letter', '--name', '柳州市某某家具有限公司', '--industry', 'C2110', '--county', '柳城县', '--date', '2026-11-29'];
const BATCH = ['batch', input, '--date', '2026-11-29', '--jobs', '1'];
const tooLong = path.join(dir, '长'.repeat(100)); // 300 bytes: over NAME_MAX (255)

function expectUserError(r: CliRun, code: string, ...named: string[]): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^错误（${code}）：`));
  for (const p of named) expect(r.stderr).toContain(p);
  expect(r.stderr).toMatch(/请/); // says what to do
  expect(r.stderr).not.toMatch(/\n\s+at |内部错误|Error:/);
}

test.each([
  ['letter into a folder under a device', [...LETTER, '--out', '/dev/full/o'], 'E_FS_NOT_A_FOLDER', ['/dev/full/o', '“/dev/full”已存在']],
  ['letter to a file under a device', [...LETTER, '--format', 'pdf', '--out', '/dev/full/a.pdf'], 'E_FS_NOT_A_FOLDER', ['/dev/full/a.pdf']],
  ['letter into a folder whose name is too long', [...LETTER, '--out', tooLong], 'E_FS_NAME_TOO_LONG', [tooLong]],
  ['letter into a file where a folder should be', [...LETTER, '--out', path.join(plainFile, 'o')], 'E_FS_NOT_A_FOLDER', [plainFile]],
  ['batch into a folder under a device', [...BATCH, '--out', '/dev/full/o'], 'E_FS_NOT_A_FOLDER', ['/dev/full/o', '“/dev/full”已存在']],
  ['batch into a regular file', [...BATCH, '--out', plainFile], 'E_FS_NOT_A_FOLDER', [plainFile]],
  ['batch dry run into a regular file', [...BATCH, '--dry-run', '--out', plainFile], 'E_FS_NOT_A_FOLDER', [plainFile]],
  ['batch into a folder whose name is too long', [...BATCH, '--out', tooLong], 'E_FS_NAME_TOO_LONG', [tooLong]],
  [
    'batch with the ledger under a regular file',
    [...BATCH, '--out', path.join(dir, 'out-ledger'), '--ledger', path.join(plainFile, 'l.sqlite')],
    'E_FS_NOT_A_FOLDER',
    [path.join(plainFile, 'l.sqlite'), plainFile],
  ],
])('%s', async (_name, args, code, named) => {
  expectUserError(await runCli(...args), code, ...named);
});
