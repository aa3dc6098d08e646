// Pass-1 store: every accepted row's resolved letter data in a scratch SQLite file, so memory stays
// flat whatever the row count (duplicate-detection keys included), and pass 2 can read each county
// back in route order.

import fs from 'node:fs';
import Database from 'better-sqlite3';
import { withFileErrors } from '../output-files/fs-error';
import type { LetterDataWithoutSeal } from './jobs';

export interface StagedRow {
  id: number;
  employerKey: string;
  data: LetterDataWithoutSeal;
}

export class StagingStore {
  private readonly db: Database.Database;
  private readonly insertRow: Database.Statement<[string, string, string, string, string]> | undefined;
  private readonly insertKey: Database.Statement<[string, number]> | undefined;
  private readonly findKey: Database.Statement<[string], { row: number }> | undefined;

  private constructor(
    readonly file: string,
    create: boolean,
  ) {
    if (create) for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    this.db = new Database(file, { fileMustExist: !create });
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    if (!create) return;
    this.db.exec(`
      CREATE TABLE rows (id INTEGER PRIMARY KEY, county TEXT NOT NULL, township TEXT NOT NULL, name TEXT NOT NULL,
                         employer_key TEXT NOT NULL, data TEXT NOT NULL);
      CREATE TABLE keys (key TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID;
    `);
    this.insertRow = this.db.prepare('INSERT INTO rows (county, township, name, employer_key, data) VALUES (?, ?, ?, ?, ?)');
    this.insertKey = this.db.prepare('INSERT INTO keys (key, row) VALUES (?, ?)');
    this.findKey = this.db.prepare('SELECT row FROM keys WHERE key = ?');
    this.db.exec('BEGIN');
  }

  /** A fresh store at `file` for pass 1 (an old one is replaced). */
  static create(file: string): StagingStore {
    return withFileErrors(file, () => new StagingStore(file, true));
  }

  /** The store pass 1 finished writing at `file` (in another thread), for pass 2's reads. */
  static open(file: string): StagingStore {
    return new StagingStore(file, false);
  }

  /** The input row that first claimed a duplicate-detection key. */
  firstRowWith(key: string): number | undefined {
    return this.findKey?.get(key)?.row;
  }

  add(data: LetterDataWithoutSeal, employerKey: string, duplicateKeys: readonly string[]): void {
    if (!this.insertRow) throw new Error('StagingStore: opened for reading');
    withFileErrors(this.file, () => {
      this.insertRow!.run(data.bureau.countyCode, data.employer.township ?? '', data.employer.name, employerKey, JSON.stringify(data));
      for (const key of duplicateKeys) this.insertKey!.run(key, data.source?.row ?? 0);
    });
  }

  /** Ends pass 1's writing: commits the rows and indexes them for the route-order reads. */
  finishWriting(): void {
    withFileErrors(this.file, () => {
      this.db.exec('COMMIT');
      this.db.exec('CREATE INDEX route ON rows (county, township, name, id)');
    });
  }

  /** Accepted rows per county code. */
  countyCounts(): Map<string, number> {
    const rows = this.db.prepare<[], { county: string; n: number }>('SELECT county, count(*) AS n FROM rows GROUP BY county').all();
    return new Map(rows.map((r) => [r.county, r.n]));
  }

  /** One county's rows in route order: 乡镇/街道, then name, then input order. */
  *routeOrder(countyCode: string): Generator<StagedRow> {
    const stmt = this.db.prepare<[string], { id: number; employer_key: string; data: string }>(
      'SELECT id, employer_key, data FROM rows WHERE county = ? ORDER BY township, name, id',
    );
    for (const r of stmt.iterate(countyCode)) yield { id: r.id, employerKey: r.employer_key, data: JSON.parse(r.data) };
  }

  /** Closes the store, keeping the file (pass 1 hands it to pass 2). */
  close(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }

  /** Closes and deletes the scratch file. */
  dispose(): void {
    if (this.db.open) this.close();
    fs.rmSync(this.file, { force: true });
  }
}
