import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HazardNoticeError } from '../errors';
import { writeFileAtomic } from './atomic-file';
import { fileSystemError, withFileErrors } from './fs-error';

/** A Node system error as fs throws it. */
function systemError(code: string, syscall: string, file?: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: synthetic, ${syscall}${file ? ` '${file}'` : ''}`) as NodeJS.ErrnoException;
  Object.assign(e, { code, syscall, errno: -1, ...(file ? { path: file } : {}) });
  return e;
}

function sqliteError(code: string, message: string): Error {
  const e = new Error(message);
  e.name = 'SqliteError';
  Object.assign(e, { code });
  return e;
}

describe('fileSystemError', () => {
  const where = '/srv/告知单/城中区/1_柳州市某某公司.pdf';

  test.each([
    ['ENOSPC', 'write', 'E_DISK_FULL', /磁盘已满.*同一命令重新运行.*续做/],
    ['EDQUOT', 'write', 'E_DISK_FULL', /磁盘已满/],
    ['EROFS', 'open', 'E_FS_READ_ONLY', /只读/],
    ['EACCES', 'open', 'E_FS_PERMISSION', /没有权限/],
    ['EPERM', 'rename', 'E_FS_PERMISSION', /没有权限/],
    ['EMFILE', 'open', 'E_FS_TOO_MANY_OPEN', /打开的文件过多.*ulimit -n/],
    ['ENFILE', 'open', 'E_FS_TOO_MANY_OPEN', /打开的文件过多/],
    ['ENAMETOOLONG', 'open', 'E_FS_NAME_TOO_LONG', /过长/],
    ['EISDIR', 'open', 'E_FS_IS_A_FOLDER', /是一个目录/],
    ['EIO', 'write', 'E_FS_IO', /读写.*出错（EIO/],
  ])('%s → %s, naming the path and what to do', (errno, syscall, code, text) => {
    const mapped = fileSystemError(systemError(errno, syscall, where))!;
    expect(mapped).toBeInstanceOf(HazardNoticeError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(text);
    expect(mapped.message).toContain(`“${where}”`);
    expect(mapped.message).toMatch(/请/);
    // Node's English only where nothing better is known
    if (code !== 'E_FS_IO') expect(mapped.message).not.toMatch(/synthetic/);
    expect(mapped.details).toEqual({ path: where, cause: errno });
  });

  test('ENOTDIR and EEXIST name the file that stands where a folder is needed', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hn-fs-error-')), '名单.csv');
    fs.writeFileSync(file, 'x');
    const under = path.join(file, 'out', 'a.pdf');
    for (const [errno, p] of [
      ['ENOTDIR', under],
      ['EEXIST', file],
    ]) {
      const mapped = fileSystemError(systemError(errno, 'mkdir', p))!;
      expect(mapped.code).toBe('E_FS_NOT_A_FOLDER');
      expect(mapped.message).toContain(`“${p}”`);
      expect(mapped.message).toContain(`“${file}”已存在，但不是目录`);
    }
    expect(fileSystemError(systemError('ENOTDIR', 'open', under))!.message).toMatch(/^无法写入“.*a\.pdf”：“.*名单\.csv”已存在，但不是目录/);
  });

  test('an error on a descriptor (no path) names the file given; so does SQLite’s disk-full', () => {
    expect(fileSystemError(systemError('ENOSPC', 'write'), '/srv/out/a.pdf')!.message).toContain('“/srv/out/a.pdf”');
    const full = fileSystemError(sqliteError('SQLITE_FULL', 'database or disk is full'), '/srv/out/.ledger.sqlite')!;
    expect(full.code).toBe('E_DISK_FULL');
    expect(full.message).toContain('“/srv/out/.ledger.sqlite”');
  });

  test('SQLite cannot open a file under a regular file: the probe finds the file in the way', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hn-fs-error-')), 'plain');
    fs.writeFileSync(file, 'x');
    const mapped = fileSystemError(sqliteError('SQLITE_CANTOPEN', 'unable to open database file'), path.join(file, 'l.sqlite'))!;
    expect(mapped.code).toBe('E_FS_NOT_A_FOLDER');
    expect(mapped.message).toContain(`“${file}”已存在，但不是目录`);
  });

  test('SQLite cannot open a file in a folder that does not exist: says so', () => {
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hn-fs-error-')), 'no-such-folder', 'l.sqlite');
    const mapped = fileSystemError(sqliteError('SQLITE_CANTOPEN', 'unable to open database file'), missing)!;
    expect(mapped.code).toBe('E_FS_NOT_FOUND');
    expect(mapped.message).toContain(`“${missing}”或其所在目录不存在`);
  });

  test('anything else is not a file-system error', () => {
    expect(fileSystemError(new Error('boom'))).toBeUndefined();
    expect(fileSystemError(new HazardNoticeError('E_X', '说明'))).toBeUndefined();
    expect(fileSystemError(sqliteError('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed'))).toBeUndefined();
    expect(fileSystemError('ENOSPC')).toBeUndefined();
  });

  test('withFileErrors passes results and non-file errors through', () => {
    expect(withFileErrors('/x', () => 42)).toBe(42);
    const other = new Error('boom');
    expect(() =>
      withFileErrors('/x', () => {
        throw other;
      }),
    ).toThrow(other);
  });
});

describe('writeFileAtomic failures', () => {
  test('name the file asked for, never the temporary name', () => {
    const blocker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hn-fs-error-')), 'plain');
    fs.writeFileSync(blocker, 'x');
    const target = path.join(blocker, '告知单.pdf');
    let thrown: unknown;
    try {
      writeFileAtomic(target, 'data');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(HazardNoticeError);
    expect((thrown as HazardNoticeError).code).toBe('E_FS_NOT_A_FOLDER');
    expect((thrown as HazardNoticeError).message).toContain(`“${target}”`);
    expect((thrown as HazardNoticeError).message).not.toMatch(/\.tmp/);
  });

  test('on a full device leave no temporary file behind', () => {
    // The real thing (a tmpfs filling up mid-batch) is in test/batch-disk-full.test.ts; here the first write fails.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-fs-error-'));
    const fsWrite = jest.spyOn(fs, 'writeSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', errno: -28 });
    });
    try {
      expect(() => writeFileAtomic(path.join(dir, 'a.pdf'), new Uint8Array(10))).toThrow(/磁盘已满.*a\.pdf/);
    } finally {
      fsWrite.mockRestore();
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
