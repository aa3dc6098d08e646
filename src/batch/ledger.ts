// The document-number ledger (SQLite, WAL): numbers are never issued twice; the same employer,
// date and template get their number back. It also records each output file's SHA-256 per batch.

import path from 'node:path';
import Database from 'better-sqlite3';
import { HazardNoticeError } from '../errors';
import { fileSystemError, withFileErrors } from '../output-files/fs-error';

export interface NumberRequest {
  /** The issuing bureau (its county code): each has its own sequence per year. */
  bureau: string;
  /** USCC if known, else county + normalised name (see employerKey). */
  employerKey: string;
  date: string; // YYYY-MM-DD; its year selects the sequence
  templateId: string;
}

export interface FileRecord {
  sha256: string;
  batchId: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS numbers (
  bureau TEXT NOT NULL,
  year INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  employer_key TEXT NOT NULL,
  letter_date TEXT NOT NULL,
  template_id TEXT NOT NULL,
  PRIMARY KEY (bureau, year, seq),
  UNIQUE (bureau, employer_key, letter_date, template_id)
);
CREATE TABLE IF NOT EXISTS files (
  path TEXT PRIMARY KEY,
  sha256 TEXT NOT NULL,
  batch_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outputs (
  out_dir TEXT PRIMARY KEY,
  batch_id TEXT NOT NULL
);
`;

/** The key an employer's number is kept under: USCC if present, else county + name. */
export function employerKey(countyCode: string, name: string, uscc?: string): string {
  return uscc ? `uscc:${uscc.toUpperCase()}` : `name:${countyCode}:${name.normalize('NFKC').replace(/\s+/g, '')}`;
}

export class Ledger {
  private readonly db: Database.Database;
  private readonly findNumber: Database.Statement<[string, string, string, string], { seq: number }>;
  private readonly lastNumber: Database.Statement<[string, number], { seq: number | null }>;
  private readonly insertNumber: Database.Statement<[string, number, number, string, string, string]>;
  private readonly getFile: Database.Statement<[string], { sha256: string; batch_id: string }>;
  private readonly putFile: Database.Statement<[string, string, string]>;

  constructor(readonly file: string) {
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 10000');
      this.db.exec(SCHEMA);
    } catch (e) {
      throw fileSystemError(e, file) ?? new HazardNoticeError('E_LEDGER_OPEN', `无法打开文号登记库“${file}”：${(e as Error).message}`, { file });
    }
    this.findNumber = this.db.prepare(
      'SELECT seq FROM numbers WHERE bureau = ? AND employer_key = ? AND letter_date = ? AND template_id = ?',
    );
    this.lastNumber = this.db.prepare('SELECT max(seq) AS seq FROM numbers WHERE bureau = ? AND year = ?');
    this.insertNumber = this.db.prepare(
      'INSERT INTO numbers (bureau, year, seq, employer_key, letter_date, template_id) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.getFile = this.db.prepare('SELECT sha256, batch_id FROM files WHERE path = ?');
    this.putFile = this.db.prepare('INSERT OR REPLACE INTO files (path, sha256, batch_id) VALUES (?, ?, ?)');
  }

  /** Numbers for the requests, in order, in one transaction: reused when issued before, else the next. */
  issueNumbers(requests: readonly NumberRequest[]): number[] {
    return this.writing(() =>
      this.db.transaction(() =>
        requests.map((r) => {
          const found = this.findNumber.get(r.bureau, r.employerKey, r.date, r.templateId);
          if (found) return found.seq;
          const year = Number(r.date.slice(0, 4));
          const seq = (this.lastNumber.get(r.bureau, year)?.seq ?? 0) + 1;
          this.insertNumber.run(r.bureau, year, seq, r.employerKey, r.date, r.templateId);
          return seq;
        }),
      )(),
    );
  }

  fileRecord(path: string): FileRecord | undefined {
    const row = this.getFile.get(path);
    return row && { sha256: row.sha256, batchId: row.batch_id };
  }

  /** Records written files (absolute paths) in one transaction. */
  recordFiles(files: readonly { path: string; sha256: string }[], batchId: string): void {
    this.writing(() =>
      this.db.transaction(() => {
        for (const f of files) this.putFile.run(f.path, f.sha256, batchId);
      })(),
    );
  }

  /** The batch that last wrote into an output folder. */
  batchOf(outDir: string): string | undefined {
    return this.db.prepare<[string], { batch_id: string }>('SELECT batch_id FROM outputs WHERE out_dir = ?').get(outDir)?.batch_id;
  }

  setBatchOf(outDir: string, batchId: string): void {
    this.writing(() => this.db.prepare('INSERT OR REPLACE INTO outputs (out_dir, batch_id) VALUES (?, ?)').run(outDir, batchId));
  }

  /** Files recorded under a folder by batches other than `batchId` (what --force replaces). */
  filesOfOtherBatches(outDir: string, batchId: string): string[] {
    return this.db
      .prepare<{ dir: string; batch: string }, { path: string }>(
        'SELECT path FROM files WHERE substr(path, 1, length(@dir)) = @dir AND batch_id <> @batch ORDER BY path',
      )
      .all({ dir: `${outDir}${path.sep}`, batch: batchId })
      .map((r) => r.path);
  }

  forgetFiles(paths: readonly string[]): void {
    const del = this.db.prepare('DELETE FROM files WHERE path = ?');
    this.writing(() =>
      this.db.transaction(() => {
        for (const p of paths) del.run(p);
      })(),
    );
  }

  /** A write to the ledger: a full disk or a read-only folder is reported with the ledger's path. */
  private writing<T>(write: () => T): T {
    return withFileErrors(this.file, write);
  }

  close(): void {
    this.db.close();
  }
}
