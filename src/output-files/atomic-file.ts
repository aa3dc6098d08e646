// Crash-safe writes: a temporary name in the same folder, fsync, rename, fsync the folder.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { withFileErrors } from './fs-error';

const TEMP_SUFFIX = /\.hn-\d+-\d+\.tmp$/;

function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.hn-${process.pid}-${threadId}.tmp`);
}

/** Makes renames in a folder durable. */
function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface CommitOptions {
  /** fsync the folder after the rename (default true). */
  syncDir?: boolean;
  /**
   * fsync the file before the rename (default true). A crash of the process can never leave a partial file under
   * the final name either way; only power loss can, so false is for files whose SHA-256 is recorded and checked
   * before they are trusted again (batch letters: the ledger's hash check on resume remakes such a file).
   */
  fsync?: boolean;
}

/** Writes `bytes` to `file` so that `file` is either absent/old or complete, never partial. */
export function writeFileAtomic(file: string, bytes: Uint8Array | string, options: CommitOptions = {}): void {
  const out = new AtomicFileStream(file);
  try {
    out.write(bytes);
    out.commit(options);
  } catch (e) {
    out.abandon(); // a disk-full write leaves no partial temporary file taking space
    throw e;
  }
}

/** A file written in pieces under a temporary name, renamed into place by `commit()`. */
export class AtomicFileStream {
  private readonly temp: string;
  private fd: number;

  constructor(readonly file: string) {
    this.temp = tempNameFor(file);
    this.fd = this.io(() => fs.openSync(this.temp, 'w'));
  }

  write(chunk: Uint8Array | string): void {
    this.io(() => {
      if (typeof chunk === 'string') fs.writeSync(this.fd, chunk, null, 'utf8');
      else {
        let off = 0;
        while (off < chunk.byteLength) off += fs.writeSync(this.fd, chunk, off, chunk.byteLength - off);
      }
    });
  }

  commit(options: CommitOptions = {}): void {
    this.io(() => {
      if (options.fsync !== false) fs.fsyncSync(this.fd);
      const fd = this.fd;
      this.fd = -1; // closed even when close fails (Linux frees the descriptor either way)
      fs.closeSync(fd);
      fs.renameSync(this.temp, this.file);
      if (options.syncDir !== false) fsyncDir(path.dirname(this.file));
    });
  }

  /** A failed write names the file the user asked for (not the temporary name; fd errors name none). */
  private io<T>(op: () => T): T {
    return withFileErrors(this.file, op);
  }

  /** Drops the temporary file (the target is left as it was). */
  abandon(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    fs.rmSync(this.temp, { force: true });
  }
}

/** Deletes temporary files an interrupted run left anywhere under `root`; returns how many. */
export function removeStaleTempFiles(root: string): number {
  let removed = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (TEMP_SUFFIX.test(entry.name)) {
        fs.rmSync(full, { force: true });
        removed++;
      }
    }
  };
  if (fs.existsSync(root)) walk(root);
  return removed;
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of a file's content, or undefined when it does not exist. */
export function fileSha256(file: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  return sha256Hex(bytes);
}
