// The register: the one store of every letter issued (batch, CLI, web) and of their document numbers.
// SQLite (better-sqlite3, WAL) in <data-dir>/register.sqlite, or the file `batch --ledger` names.
//
// API (what the CLI, the batch and the web app call):
//   Register.open(file, { clock? })       open (created and migrated as needed; a 0.1 .ledger.sqlite migrates in place)
//   Register.inDataDir(dataDir, opts?)    the register of a data directory (see data-dir.ts: resolveDataDir)
//   issueNumbers(requests) / issueNumber  document numbers: same bureau + employer key + date + template → same
//                                         number; else the bureau's next for the year. Never repeated, never skipped,
//                                         safe across processes (one IMMEDIATE transaction, a unique constraint).
//   recordLetters(entries) → ids          records letters issued (upsert by number) with their files' SHA-256 and path
//   letter(id) → RegisterLetter           one letter: its record, stored data and files
//   search({ q, county, from, to, page, pageSize }) → { total, page, pageSize, rows }  newest first
//   fileFor(id, 'pdf' | 'docx', loaded?) → { path, bytes, sha256, remade, unsigned? }   the letter's exact file, checked
//                                         by SHA-256; when missing or changed, remade byte-identical from the stored data
//                                         through renderLetter and kept under <data-dir>/letters/ (a signed file: its
//                                         unsigned content is remade, checked and served as unsigned, never kept)
//   signatureOf(sha256)                   the signature recorded for a signed file (letters, print volumes)
//   keptPath(letter, format)              where a letter's file is kept under the data directory
//   transaction(fn)                       several writes as one transaction
//   database                              the open file, for the campaign store's own tables (migration 3)
//   batch resume: fileRecord, recordFiles, batchOf, setBatchOf, filesOfOtherBatches, forgetFiles
//   close()
// Single letters (CLI, web) are issued by issueLetter (issue-letter.ts) through this class.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HazardNoticeError } from '../errors';
import { fileSystemError, withFileErrors } from '../output-files/fs-error';
import { sha256Hex, writeFileAtomic } from '../output-files/atomic-file';
import { letterFileName, pathInside, safeFileStem } from '../output-files/file-names';
import type { FileSignature } from '../render/pdf/sign-pdf';
import type { OutputFormat, RenderOptions } from '../render/render-letter';
import type { LetterDataWithoutSeal } from '../resolve/letter-data';
import { registerFileIn } from './data-dir';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { remakeLetterFile, type LoadedForRemake } from './remake';

export { employerKey } from './employer-key';

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

/** Where a letter came from. */
export type LetterSource = { kind: 'batch'; batchId: string; file: string; row: number } | { kind: 'cli' } | { kind: 'web' };

export interface LetterFile {
  format: OutputFormat;
  sha256: string;
  /** Absolute path of the file as written (a batch's output folder, or the data directory's letters/). */
  path: string;
  /** The file's signature, when it was signed (`--sign`). */
  signature?: FileSignature;
}

/** A letter to record: its number, data (docNumber set), what made it and its files. */
export interface LetterEntry {
  seq: number;
  employerKey: string;
  data: LetterDataWithoutSeal;
  /** Template identity: its id (name@hash of its files) and folder. */
  template: { id: string; dir: string };
  /** Config identity: the region config file and configIdentity() of it for the letter's county. */
  config: { file: string; sha256: string };
  /** How its files were made (pages after the letter, --pdfa), as renderOptionsKey gives them: a remake renders with the same. */
  render: RenderOptions;
  source: LetterSource;
  files: LetterFile[];
}

/** A row of the register as listed. */
export interface RegisterRow {
  id: number;
  docNumber: string;
  bureau: string;
  year: number;
  seq: number;
  name: string;
  uscc?: string;
  county: { code: string; name: string };
  township?: string;
  address?: string;
  industry: { code: string; path: string };
  hazards: string[];
  diseases: { name: string; catalogueName?: string }[];
  catalogue: string;
  templateId: string;
  date: string;
  source: LetterSource;
  files: LetterFile[];
  /** ISO time of first issue and of the latest record (the register's clock; never in the documents). */
  createdAt: string;
  updatedAt: string;
}

/** A letter with all it takes to make its files again. */
export interface RegisterLetter extends RegisterRow {
  employerKey: string;
  data: LetterDataWithoutSeal;
  template: { id: string; dir: string };
  config: { file: string; sha256: string };
  render: RenderOptions;
}

export interface RegisterQuery {
  /** Part of the employer's name, USCC or document number. */
  q?: string;
  /** County code or name. */
  county?: string;
  /** Letter dates from / to (YYYY-MM-DD, inclusive). */
  from?: string;
  to?: string;
  /** From 1 (default 1); pageSize 1–200 (default 20). */
  page?: number;
  pageSize?: number;
}

export interface RegisterPage {
  total: number;
  page: number;
  pageSize: number;
  rows: RegisterRow[];
}

export interface KeptFile {
  path: string;
  bytes: Uint8Array;
  sha256: string;
  /** True when the file was missing or changed and has been made again. */
  remade: boolean;
  /**
   * True when the letter's file was signed and is missing or changed: the bytes are its unsigned content made again
   * (checked against the unsigned SHA-256 recorded), without the signature, and are not kept.
   */
  unsigned?: boolean;
}

export interface RegisterOptions {
  /** The time letters are recorded at (default: now). Injected by tests. */
  clock?: () => Date;
}

const MAX_PAGE_SIZE = 200;

interface LetterRow {
  id: number;
  bureau: string;
  year: number;
  seq: number;
  doc_number: string;
  employer_key: string;
  name: string;
  uscc: string | null;
  county_code: string;
  county_name: string;
  township: string | null;
  address: string | null;
  industry_code: string;
  industry_path: string;
  hazards: string;
  diseases: string;
  catalogue: string;
  template_id: string;
  template_dir: string;
  config_file: string;
  config_sha256: string;
  letter_date: string;
  source_kind: 'batch' | 'cli' | 'web';
  source_file: string | null;
  source_row: number | null;
  batch_id: string | null;
  data: string;
  options: string;
  created_at: string;
  updated_at: string;
}

const ROW_COLUMNS = `id, bureau, year, seq, doc_number, name, uscc, county_code, county_name, township, address, industry_code,
  industry_path, hazards, diseases, catalogue, template_id, letter_date, source_kind, source_file, source_row, batch_id,
  created_at, updated_at`;

function sourceOf(r: LetterRow): LetterSource {
  if (r.source_kind === 'batch') return { kind: 'batch', batchId: r.batch_id ?? '', file: r.source_file ?? '', row: r.source_row ?? 0 };
  return { kind: r.source_kind };
}

/** The industry as printed: 门类 › 大类 › 中类 (› 小类). */
function industryPath(data: LetterDataWithoutSeal): { code: string; path: string } {
  const { section, division, group } = data.industry;
  const cls = data.industry.class;
  const parts = [section, division, group, ...(cls ? [cls] : [])];
  return { code: (cls ?? group).code, path: parts.map((p) => `${p.code} ${p.name}`).join(' › ') };
}

export class Register {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  /** The data directory the register belongs to: kept letter files go under its letters/ folder. */
  readonly dataDir: string;

  private constructor(
    readonly file: string,
    options: RegisterOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.dataDir = path.dirname(file);
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 10000');
      this.db.pragma('foreign_keys = ON');
      this.migrate();
    } catch (e) {
      if (e instanceof HazardNoticeError) throw e;
      throw (
        fileSystemError(e, file) ?? new HazardNoticeError('E_LEDGER_OPEN', `无法打开文号登记库“${file}”：${(e as Error).message}`, { file })
      );
    }
  }

  /** Opens (creating and migrating as needed) the register in `file`. */
  static open(file: string, options: RegisterOptions = {}): Register {
    return new Register(path.resolve(file), options);
  }

  /** The register of a data directory (the directory is created when missing). */
  static inDataDir(dataDir: string, options: RegisterOptions = {}): Register {
    withFileErrors(dataDir, () => fs.mkdirSync(dataDir, { recursive: true }));
    return Register.open(registerFileIn(dataDir), options);
  }

  /** Applies the migrations not yet applied, each in one transaction with its version (another process may race). */
  private migrate(): void {
    const version = () => this.db.pragma('user_version', { simple: true }) as number;
    if (version() > SCHEMA_VERSION) {
      throw new HazardNoticeError(
        'E_REGISTER_VERSION',
        `文号登记库“${this.file}”由更新版本的本工具创建（结构版本 ${version()}，本版本支持到 ${SCHEMA_VERSION}），请升级本工具`,
        { file: this.file, version: version(), supported: SCHEMA_VERSION },
      );
    }
    this.db
      .transaction(() => {
        for (let v = version(); v < SCHEMA_VERSION; v++) {
          this.db.exec(MIGRATIONS[v]);
          this.db.pragma(`user_version = ${v + 1}`);
        }
      })
      .immediate();
  }

  /** The open database, for the campaign store (src/campaign/store.ts): its tables live in this file, one schema version. */
  get database(): Database.Database {
    return this.db;
  }

  /** The schema version of the open file. */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /**
   * Runs `fn` as one (immediate) transaction; the register's own writes inside it join it. A durable transaction
   * (the default) is on disk when it returns (synchronous = FULL: the WAL is fsynced). `durable: false` commits without
   * that fsync (synchronous = NORMAL): safe against a crash of the process, and made durable by the next durable
   * commit or the checkpoint on close; only power loss can take it back. For the batch's records of files written
   * without fsync: a resumed batch trusts a file only when its SHA-256 is recorded and matches, and remakes it otherwise.
   */
  transaction<T>(fn: () => T, options: { durable?: boolean } = {}): T {
    const relax = options.durable === false && !this.db.inTransaction;
    return this.writing(() => {
      if (relax) this.db.pragma('synchronous = NORMAL');
      try {
        return this.db.transaction(fn).immediate();
      } finally {
        if (relax) this.db.pragma('synchronous = FULL');
      }
    });
  }

  /**
   * Numbers for the requests, in order, in one transaction: reused when issued before, else the bureau's next
   * for the year. The write lock is taken first (IMMEDIATE) and each number is claimed by one INSERT … SELECT
   * guarded by the unique constraint, so processes sharing the file never issue a number twice or skip one.
   */
  issueNumbers(requests: readonly NumberRequest[]): number[] {
    const claim = this.db.prepare<{ bureau: string; year: number; key: string; date: string; template: string }>(
      `INSERT INTO numbers (bureau, year, seq, employer_key, letter_date, template_id)
         SELECT @bureau, @year, coalesce(max(seq), 0) + 1, @key, @date, @template FROM numbers WHERE bureau = @bureau AND year = @year
       ON CONFLICT (bureau, employer_key, letter_date, template_id) DO NOTHING`,
    );
    const find = this.db.prepare<[string, string, string, string], { seq: number }>(
      'SELECT seq FROM numbers WHERE bureau = ? AND employer_key = ? AND letter_date = ? AND template_id = ?',
    );
    return this.transaction(() =>
      requests.map((r) => {
        claim.run({ bureau: r.bureau, year: Number(r.date.slice(0, 4)), key: r.employerKey, date: r.date, template: r.templateId });
        return find.get(r.bureau, r.employerKey, r.date, r.templateId)!.seq;
      }),
    );
  }

  issueNumber(request: NumberRequest): number {
    return this.issueNumbers([request])[0];
  }

  /** Records letters issued (each under its number: a number recorded before gets the latest letter); returns their ids. */
  recordLetters(entries: readonly LetterEntry[]): number[] {
    const upsert = this.db.prepare(
      `INSERT INTO letters (bureau, year, seq, doc_number, employer_key, name, uscc, county_code, county_name, township, address,
         industry_code, industry_path, hazards, diseases, catalogue, template_id, template_dir, config_file, config_sha256,
         letter_date, source_kind, source_file, source_row, batch_id, data, options, created_at, updated_at)
       VALUES (@bureau, @year, @seq, @doc_number, @employer_key, @name, @uscc, @county_code, @county_name, @township, @address,
         @industry_code, @industry_path, @hazards, @diseases, @catalogue, @template_id, @template_dir, @config_file, @config_sha256,
         @letter_date, @source_kind, @source_file, @source_row, @batch_id, @data, @options, @now, @now)
       ON CONFLICT (bureau, year, seq) DO UPDATE SET
         doc_number = excluded.doc_number, employer_key = excluded.employer_key, name = excluded.name, uscc = excluded.uscc,
         county_code = excluded.county_code, county_name = excluded.county_name, township = excluded.township,
         address = excluded.address, industry_code = excluded.industry_code, industry_path = excluded.industry_path,
         hazards = excluded.hazards, diseases = excluded.diseases, catalogue = excluded.catalogue,
         template_id = excluded.template_id, template_dir = excluded.template_dir, config_file = excluded.config_file,
         config_sha256 = excluded.config_sha256, letter_date = excluded.letter_date, source_kind = excluded.source_kind,
         source_file = excluded.source_file, source_row = excluded.source_row, batch_id = excluded.batch_id,
         data = excluded.data, options = excluded.options, updated_at = excluded.updated_at
       RETURNING id`,
    );
    const dropFiles = this.db.prepare('DELETE FROM letter_files WHERE letter_id = ?');
    const putFile = this.db.prepare('INSERT INTO letter_files (letter_id, format, sha256, path) VALUES (?, ?, ?, ?)');
    const now = this.clock().toISOString();
    return this.transaction(() =>
      entries.map((e) => {
        const d = e.data;
        const industry = industryPath(d);
        const source = e.source;
        const { id } = upsert.get({
          bureau: d.bureau.countyCode,
          year: Number(d.date.slice(0, 4)),
          seq: e.seq,
          doc_number: d.docNumber ?? '',
          employer_key: e.employerKey,
          name: d.employer.name,
          uscc: d.employer.uscc ?? null,
          county_code: d.bureau.countyCode,
          county_name: d.bureau.countyName,
          township: d.employer.township ?? null,
          address: d.employer.address ?? null,
          industry_code: industry.code,
          industry_path: industry.path,
          hazards: JSON.stringify(d.hazards.map((h) => h.name)),
          diseases: JSON.stringify(d.diseases.map((x) => ({ name: x.name, catalogueName: x.catalogueName }))),
          catalogue: d.diseaseCatalogue.docNumber,
          template_id: e.template.id,
          template_dir: e.template.dir,
          config_file: e.config.file,
          config_sha256: e.config.sha256,
          letter_date: d.date,
          source_kind: source.kind,
          source_file: source.kind === 'batch' ? source.file : null,
          source_row: source.kind === 'batch' ? source.row : null,
          batch_id: source.kind === 'batch' ? source.batchId : null,
          data: JSON.stringify(d),
          options: JSON.stringify(e.render),
          now,
        }) as { id: number };
        dropFiles.run(id);
        for (const f of e.files) putFile.run(id, f.format, f.sha256, f.path);
        this.recordSignatures(e.files);
        return id;
      }),
    );
  }

  private filesOf(id: number): LetterFile[] {
    return this.db
      .prepare<[number], LetterFile>('SELECT format, sha256, path FROM letter_files WHERE letter_id = ? ORDER BY format')
      .all(id)
      .map((f) => {
        const signature = this.signatureOf(f.sha256);
        return signature ? { ...f, signature } : f;
      });
  }

  /** Records the signatures of signed files (keyed by the signed file's SHA-256; a file recorded again keeps its row). */
  private recordSignatures(files: readonly { sha256: string; signature?: FileSignature }[]): void {
    const put = this.db.prepare(
      'INSERT OR REPLACE INTO file_signatures (sha256, certificate_sha256, signed_at, unsigned_sha256) VALUES (?, ?, ?, ?)',
    );
    for (const f of files) {
      if (f.signature) put.run(f.sha256, f.signature.certificateSha256, f.signature.signedAt, f.signature.unsignedSha256);
    }
  }

  /** The signature recorded for the signed file with this SHA-256, if any. */
  signatureOf(sha256: string): FileSignature | undefined {
    const row = this.db
      .prepare<[string], { certificate_sha256: string; signed_at: string; unsigned_sha256: string }>(
        'SELECT certificate_sha256, signed_at, unsigned_sha256 FROM file_signatures WHERE sha256 = ?',
      )
      .get(sha256);
    return row && { certificateSha256: row.certificate_sha256, signedAt: row.signed_at, unsignedSha256: row.unsigned_sha256 };
  }

  private rowOf(r: LetterRow): RegisterRow {
    return {
      id: r.id,
      docNumber: r.doc_number,
      bureau: r.bureau,
      year: r.year,
      seq: r.seq,
      name: r.name,
      uscc: r.uscc ?? undefined,
      county: { code: r.county_code, name: r.county_name },
      township: r.township ?? undefined,
      address: r.address ?? undefined,
      industry: { code: r.industry_code, path: r.industry_path },
      hazards: JSON.parse(r.hazards) as string[],
      diseases: JSON.parse(r.diseases) as RegisterRow['diseases'],
      catalogue: r.catalogue,
      templateId: r.template_id,
      date: r.letter_date,
      source: sourceOf(r),
      files: this.filesOf(r.id),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  /** One letter by id, with its stored data; undefined when there is none. */
  letter(id: number): RegisterLetter | undefined {
    const r = this.db.prepare<[number], LetterRow>('SELECT * FROM letters WHERE id = ?').get(id);
    if (!r) return undefined;
    return {
      ...this.rowOf(r),
      employerKey: r.employer_key,
      data: JSON.parse(r.data) as LetterDataWithoutSeal,
      template: { id: r.template_id, dir: r.template_dir },
      config: { file: r.config_file, sha256: r.config_sha256 },
      render: JSON.parse(r.options) as RenderOptions,
    };
  }

  /** Letters matching the query, newest first (time recorded, then id), one page of them with the total count. */
  search(query: RegisterQuery = {}): RegisterPage {
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(query.pageSize ?? 20)));
    const page = Math.max(1, Math.trunc(query.page ?? 1));
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    const q = query.q?.trim();
    if (q) {
      where.push(`(instr(name, @q) > 0 OR instr(upper(coalesce(uscc, '')), upper(@q)) > 0 OR instr(doc_number, @q) > 0)`);
      params.q = q;
    }
    if (query.county) {
      where.push('(county_code = @county OR county_name = @county)');
      params.county = query.county;
    }
    if (query.from) {
      where.push('letter_date >= @from');
      params.from = query.from;
    }
    if (query.to) {
      where.push('letter_date <= @to');
      params.to = query.to;
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM letters ${filter}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT ${ROW_COLUMNS} FROM letters ${filter} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: pageSize, offset: (page - 1) * pageSize }) as LetterRow[];
    return { total, page, pageSize, rows: rows.map((r) => this.rowOf(r)) };
  }

  /** Where a letter's file is kept under the data directory: letters/<区县>/<年>/<序号>_<单位名称>.<格式>. */
  keptPath(letter: Pick<RegisterRow, 'county' | 'year' | 'seq' | 'name'>, format: OutputFormat): string {
    const dir = pathInside(this.dataDir, 'letters', safeFileStem(letter.county.name), String(letter.year));
    return pathInside(dir, letterFileName(letter.seq, letter.name, format, 1));
  }

  /**
   * The letter's file in `format`, its bytes checked against the SHA-256 recorded. A file missing or changed is
   * made again from the stored data (the same bytes, or E_REGISTER_REMAKE) and kept under the data directory; a
   * format never made for the letter is made and recorded. A signed file cannot be made again (the private key is not
   * here): its unsigned content is, checked against the unsigned SHA-256 recorded, and returned marked `unsigned`.
   */
  async fileFor(id: number, format: OutputFormat, loaded?: LoadedForRemake): Promise<KeptFile> {
    const letter = this.letter(id);
    if (!letter) throw new HazardNoticeError('E_REGISTER_NOT_FOUND', `登记簿中没有编号为 ${id} 的告知单`, { id });
    const recorded = letter.files.find((f) => f.format === format);
    if (recorded) {
      const bytes = readIfThere(recorded.path);
      if (bytes && sha256Hex(bytes) === recorded.sha256) return { path: recorded.path, bytes, sha256: recorded.sha256, remade: false };
    }
    const bytes = await remakeLetterFile(letter, format, loaded);
    const sha256 = sha256Hex(bytes);
    if (recorded?.signature && sha256 === recorded.signature.unsignedSha256) {
      return { path: recorded.path, bytes, sha256, remade: true, unsigned: true };
    }
    if (recorded && sha256 !== recorded.sha256) {
      throw new HazardNoticeError(
        'E_REGISTER_REMAKE',
        `告知单 ${letter.docNumber}（${letter.name}）的 ${format.toUpperCase()} 文件缺失或已被改动，按登记的数据重新生成的文件与登记的 SHA-256 不一致` +
          '（模板、字体或本工具版本可能已变化），未予替换',
        { id, format, path: recorded.path },
      );
    }
    const kept = this.keptPath(letter, format);
    withFileErrors(kept, () => fs.mkdirSync(path.dirname(kept), { recursive: true }));
    writeFileAtomic(kept, bytes);
    this.writing(() =>
      this.db
        .prepare('INSERT OR REPLACE INTO letter_files (letter_id, format, sha256, path) VALUES (?, ?, ?, ?)')
        .run(id, format, sha256, kept),
    );
    return { path: kept, bytes, sha256, remade: true };
  }

  fileRecord(file: string): FileRecord | undefined {
    const row = this.db
      .prepare<[string], { sha256: string; batch_id: string }>('SELECT sha256, batch_id FROM files WHERE path = ?')
      .get(file);
    return row && { sha256: row.sha256, batchId: row.batch_id };
  }

  /** Records files a batch wrote (absolute paths) in one transaction. */
  recordFiles(
    files: readonly { path: string; sha256: string; signature?: FileSignature }[],
    batchId: string,
    options: { durable?: boolean } = {},
  ): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO files (path, sha256, batch_id) VALUES (?, ?, ?)');
    this.transaction(() => {
      for (const f of files) put.run(f.path, f.sha256, batchId);
      this.recordSignatures(files);
    }, options);
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
    this.transaction(() => {
      for (const p of paths) del.run(p);
    });
  }

  /** A write to the register: a full disk or a read-only folder is reported with the register's path. */
  private writing<T>(write: () => T): T {
    return withFileErrors(this.file, write);
  }

  close(): void {
    this.db.close();
  }
}

function readIfThere(file: string): Uint8Array | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
