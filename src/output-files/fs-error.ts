// File-system failures (Node's system errors, SQLite's I/O errors) as the user's HazardNoticeError: what happened,
// which path, what to do. The one mapping every command uses, so no fs error reaches the user as a stack trace.

import fs from 'node:fs';
import path from 'node:path';
import { HazardNoticeError } from '../errors';

const RERUN = '后重新运行';

/** A Node system error (fs, or anything with an errno and a syscall); by shape, as errors may come from another realm. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  const err = e as NodeJS.ErrnoException | undefined;
  return typeof err?.code === 'string' && typeof err.syscall === 'string' && typeof err.message === 'string';
}

/** better-sqlite3's SqliteError codes that come from the file system (it names no path). */
const SQLITE_FS = /^SQLITE_(FULL|CANTOPEN|READONLY|IOERR|PERM)/;

function isSqliteFsError(e: unknown): e is Error & { code: string } {
  const err = e as { name?: unknown; code?: unknown } | undefined;
  return err?.name === 'SqliteError' && SQLITE_FS.test(String(err.code));
}

/** The nearest part of `p` (itself or an ancestor) that exists. */
function nearestExisting(p: string): { path: string; stat: fs.Stats } | undefined {
  for (let dir = path.resolve(p); ; dir = path.dirname(dir)) {
    try {
      return { path: dir, stat: fs.statSync(dir) };
    } catch {
      if (path.dirname(dir) === dir) return undefined;
    }
  }
}

function accessError(p: string, mode: number): string | undefined {
  try {
    fs.accessSync(p, mode);
    return undefined;
  } catch (e) {
    return isSystemError(e) ? e.code : undefined;
  }
}

/**
 * The errno a write to `target` (a file or a folder to make) meets, found by asking the file system: for errors
 * that name none (SQLite's) or the wrong one (a recursive mkdir on a read-only disk says ENOENT).
 */
function probeWrite(target: string): string | undefined {
  const existing = nearestExisting(target);
  if (!existing) return undefined;
  if (existing.path === target) {
    const dir = path.dirname(target);
    return accessError(target, fs.constants.R_OK | fs.constants.W_OK) ?? (dir === target ? undefined : accessError(dir, fs.constants.W_OK));
  }
  if (!existing.stat.isDirectory()) return 'ENOTDIR';
  return accessError(existing.path, fs.constants.W_OK) ?? (existing.path === path.dirname(target) ? undefined : 'ENOENT');
}

function message(code: string, where: string, detail: string): [string, string] {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
    case 'SQLITE_FULL':
      return [
        'E_DISK_FULL',
        `磁盘已满（或超出磁盘配额），无法写入“${where}”。请清理该磁盘、腾出空间后用同一命令重新运行：批量生成会从中断处续做，已完成的文件经校验后保留，文号不重复、不跳号`,
      ];
    case 'EROFS':
      return [
        'E_FS_READ_ONLY',
        `“${where}”所在的磁盘是只读的，无法写入。请换一个可写的位置（如 --out 另一个目录），或将该磁盘改为可写${RERUN}`,
      ];
    case 'EACCES':
    case 'EPERM':
      return ['E_FS_PERMISSION', `没有权限读写“${where}”。请检查它（及其所在目录）的权限，或换一个有权限的位置${RERUN}`];
    case 'ENOTDIR':
    case 'EEXIST': {
      const blocker = nearestExisting(where);
      const file = blocker && !blocker.stat.isDirectory() ? blocker.path : where;
      const what = file === where ? `“${where}”已存在，但不是目录，无法在其中写入` : `无法写入“${where}”：“${file}”已存在，但不是目录`;
      return ['E_FS_NOT_A_FOLDER', `${what}。请换一个位置（如 --out 另一个目录）${RERUN}`];
    }
    case 'EISDIR':
      return ['E_FS_IS_A_FOLDER', `“${where}”是一个目录，不能作为文件写入或读取。请给出文件名，或换一个位置${RERUN}`];
    case 'EMFILE':
    case 'ENFILE':
      return [
        'E_FS_TOO_MANY_OPEN',
        `同时打开的文件过多，无法打开“${where}”。请关闭其他程序、调高打开文件数上限（ulimit -n）或减少 --jobs ${RERUN}`,
      ];
    case 'ENAMETOOLONG':
      return ['E_FS_NAME_TOO_LONG', `路径或文件名过长：“${where}”。请换一个较短的路径${RERUN}`];
    case 'ENOENT':
      return ['E_FS_NOT_FOUND', `“${where}”或其所在目录不存在。请检查路径，或先创建该目录${RERUN}`];
    default:
      return ['E_FS_IO', `读写“${where}”时出错（${detail}）。请检查该磁盘${RERUN}`];
  }
}

/**
 * The user's error for a file-system failure, or undefined when `e` is not one. `file`, when given, is the file the
 * failed operation was for, named instead of the error's own path (an atomic write's temporary name; none for
 * errors on an open descriptor or from SQLite).
 */
export function fileSystemError(e: unknown, file?: string): HazardNoticeError | undefined {
  let code: string;
  let where: string | undefined;
  if (isSystemError(e)) {
    code = e.code;
    where = file ?? e.path;
    if (code === 'ENOENT' && e.syscall === 'mkdir' && where) code = probeWrite(path.resolve(where)) ?? code;
  } else if (isSqliteFsError(e)) {
    code = e.code;
    where = file;
    if (where && code !== 'SQLITE_FULL') code = probeWrite(path.resolve(where)) ?? code;
  } else {
    return undefined;
  }
  where = where === undefined ? '（未知位置）' : path.resolve(where);
  const [errorCode, text] = message(code, where, `${code}：${(e as Error).message}`);
  return new HazardNoticeError(errorCode, text, { path: where, cause: code });
}

/** Runs a file operation on `file`; a file-system failure comes out as the user's error naming `file`. */
export function withFileErrors<T>(file: string, op: () => T): T {
  try {
    return op();
  } catch (e) {
    throw fileSystemError(e, file) ?? e;
  }
}
