// The register: the one store of every letter issued (batch, CLI, web) and of their document numbers.
// In a Storage (storage.ts): PostgreSQL when `--database postgres://…` (HAZARD_NOTICE_DATABASE) names one, else SQLite
// in <data-dir>/register.sqlite, or the file `batch --ledger` names. Every method that reads or writes is async.
//
// API (what the CLI, the batch and the web app call):
//   Register.open(target, { clock?, dataDir? })  open a PostgreSQL URL or an SQLite file (created and migrated as
//                                         needed; a 0.1 .ledger.sqlite migrates in place)
//   Register.inDataDir(dataDir, opts?)    the register of a data directory (see data-dir.ts: resolveDataDir), or the
//                                         database opts.database names, keeping letter files under dataDir
//   issueNumbers(requests) / issueNumber  document numbers: same bureau + employer key + date + template → same
//                                         number (a unique constraint); else the bureau's next for the year, from its
//                                         counter row locked by the transaction. Never repeated, never skipped, safe
//                                         across processes and servers.
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
//   storage                               the open storage, for the campaign store's own tables (migration 5)
//   batch resume: fileRecord, recordFiles, batchOf, setBatchOf, filesOfOtherBatches, forgetFiles
//   close()
// Single letters (CLI, web) are issued by issueLetter (issue-letter.ts) through this class.

import fs from 'node:fs';
import path from 'node:path';
import { HazardNoticeError } from '../errors';
import { withFileErrors } from '../output-files/fs-error';
import { sha256Hex, writeFileAtomic } from '../output-files/atomic-file';
import { letterFileName, pathInside, safeFileStem } from '../output-files/file-names';
import type { FileSignature } from '../render/pdf/sign-pdf';
import type { OutputFormat, RenderOptions } from '../render/render-letter';
import type { LetterDataWithoutSeal } from '../resolve/letter-data';
import { registerFileIn, resolveDataDir } from './data-dir';
import { remakeLetterFile, type LoadedForRemake } from './remake';
import { isPostgresUrl, openStorage, type Storage, type TransactionOptions } from './storage';

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
  /** The login of the web user who issued it (accounts configured); none from the command line. */
  issuedBy?: string;
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
  /** The login of the web user who issued it, if any. */
  issuedBy?: string;
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
  /** Only these counties (codes): a user's scope. */
  counties?: readonly string[];
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
  /** A PostgreSQL URL or an SQLite file (resolveDatabase); for inDataDir, instead of the data directory's register.sqlite. */
  database?: string;
  /** Where letter files are kept (letters/): for a PostgreSQL register (default resolveDataDir()); an SQLite file's folder otherwise. */
  dataDir?: string;
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
  issued_by: string | null;
}

const ROW_COLUMNS = `id, bureau, year, seq, doc_number, name, uscc, county_code, county_name, township, address, industry_code,
  industry_path, hazards, diseases, catalogue, template_id, letter_date, source_kind, source_file, source_row, batch_id,
  created_at, updated_at, issued_by`;

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
  private readonly clock: () => Date;

  private constructor(
    /** The storage: the campaign store keeps its tables there too (one schema version). */
    readonly storage: Storage,
    /** The data directory the register belongs to: kept letter files go under its letters/ folder. */
    readonly dataDir: string,
    options: RegisterOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Where the register is: its file, or the PostgreSQL URL without the password. */
  get location(): string {
    return this.storage.location;
  }

  /** Opens (creating and migrating as needed) the register in `target`: a PostgreSQL URL or an SQLite file. */
  static async open(target: string, options: RegisterOptions = {}): Promise<Register> {
    if (isPostgresUrl(target)) return new Register(await openStorage(target), options.dataDir ?? resolveDataDir(), options);
    const file = path.resolve(target);
    return new Register(await openStorage(file), options.dataDir ?? path.dirname(file), options);
  }

  /** The register of a data directory (created when missing), or the database `options.database` names. */
  static async inDataDir(dataDir: string, options: RegisterOptions = {}): Promise<Register> {
    withFileErrors(dataDir, () => fs.mkdirSync(dataDir, { recursive: true }));
    return Register.open(options.database ?? registerFileIn(dataDir), { ...options, dataDir });
  }

  /** The schema version of the open register. */
  schemaVersion(): Promise<number> {
    return this.storage.schemaVersion();
  }

  /**
   * Runs `fn` as one transaction; the register's own writes inside it join it. A durable transaction (the default) is
   * on disk when it returns. `durable: false` commits without waiting for the disk (see TransactionOptions): for the
   * batch's records of files written without fsync: a resumed batch trusts a file only when its SHA-256 is recorded and
   * matches, and remakes it otherwise.
   */
  transaction<T>(fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.storage.transaction(fn, options);
  }

  /**
   * Numbers for the requests, in order, in one transaction: reused when issued before, else the bureau's next for
   * the year. The counter rows of the bureaus and years asked for are locked first (in a fixed order, so two
   * transactions never wait on each other); each number is then claimed by an INSERT that the unique constraint on
   * (bureau, employer key, date, template) turns into nothing when that letter has its number already. So processes
   * and servers sharing the register never issue a number twice or skip one.
   */
  issueNumbers(requests: readonly NumberRequest[]): Promise<number[]> {
    const db = this.storage;
    const lock = db.dialect === 'postgres' ? ' FOR UPDATE' : ''; // SQLite: BEGIN IMMEDIATE holds the file's write lock
    return this.transaction(async () => {
      const counters = new Map<string, { bureau: string; year: number; last: number; start: number }>();
      const keyOf = (bureau: string, year: number) => `${bureau}\0${year}`;
      const years = requests.map((r) => ({ bureau: r.bureau, year: Number(r.date.slice(0, 4)) }));
      for (const { bureau, year } of [...years].sort((a, b) => (a.bureau < b.bureau ? -1 : a.bureau > b.bureau ? 1 : a.year - b.year))) {
        if (counters.has(keyOf(bureau, year))) continue;
        await db.run('INSERT INTO number_counters (bureau, year, last_seq) VALUES (?, ?, 0) ON CONFLICT (bureau, year) DO NOTHING', [
          bureau,
          year,
        ]);
        const row = await db.get<{ last_seq: number }>(`SELECT last_seq FROM number_counters WHERE bureau = ? AND year = ?${lock}`, [
          bureau,
          year,
        ]);
        counters.set(keyOf(bureau, year), { bureau, year, last: row!.last_seq, start: row!.last_seq });
      }
      const seqs: number[] = [];
      for (const [i, r] of requests.entries()) {
        const counter = counters.get(keyOf(years[i].bureau, years[i].year))!;
        const claimed = await db.get<{ seq: number }>(
          `INSERT INTO numbers (bureau, year, seq, employer_key, letter_date, template_id) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (bureau, employer_key, letter_date, template_id) DO NOTHING RETURNING seq`,
          [r.bureau, counter.year, counter.last + 1, r.employerKey, r.date, r.templateId],
        );
        if (claimed) {
          counter.last = claimed.seq;
          seqs.push(claimed.seq);
          continue;
        }
        const issued = await db.get<{ seq: number }>(
          'SELECT seq FROM numbers WHERE bureau = ? AND employer_key = ? AND letter_date = ? AND template_id = ?',
          [r.bureau, r.employerKey, r.date, r.templateId],
        );
        seqs.push(issued!.seq);
      }
      for (const c of counters.values()) {
        if (c.last !== c.start) {
          await db.run('UPDATE number_counters SET last_seq = ? WHERE bureau = ? AND year = ?', [c.last, c.bureau, c.year]);
        }
      }
      return seqs;
    });
  }

  async issueNumber(request: NumberRequest): Promise<number> {
    return (await this.issueNumbers([request]))[0];
  }

  /** Records letters issued (each under its number: a number recorded before gets the latest letter); returns their ids. */
  recordLetters(entries: readonly LetterEntry[]): Promise<number[]> {
    const db = this.storage;
    const now = this.clock().toISOString();
    return this.transaction(async () => {
      const ids: number[] = [];
      for (const e of entries) {
        const d = e.data;
        const industry = industryPath(d);
        const source = e.source;
        const row = await db.get<{ id: number }>(
          `INSERT INTO letters (bureau, year, seq, doc_number, employer_key, name, uscc, county_code, county_name, township, address,
             industry_code, industry_path, hazards, diseases, catalogue, template_id, template_dir, config_file, config_sha256,
             letter_date, source_kind, source_file, source_row, batch_id, data, options, created_at, updated_at, issued_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (bureau, year, seq) DO UPDATE SET
             doc_number = excluded.doc_number, employer_key = excluded.employer_key, name = excluded.name, uscc = excluded.uscc,
             county_code = excluded.county_code, county_name = excluded.county_name, township = excluded.township,
             address = excluded.address, industry_code = excluded.industry_code, industry_path = excluded.industry_path,
             hazards = excluded.hazards, diseases = excluded.diseases, catalogue = excluded.catalogue,
             template_id = excluded.template_id, template_dir = excluded.template_dir, config_file = excluded.config_file,
             config_sha256 = excluded.config_sha256, letter_date = excluded.letter_date, source_kind = excluded.source_kind,
             source_file = excluded.source_file, source_row = excluded.source_row, batch_id = excluded.batch_id,
             data = excluded.data, options = excluded.options, updated_at = excluded.updated_at, issued_by = excluded.issued_by
           RETURNING id`,
          [
            d.bureau.countyCode,
            Number(d.date.slice(0, 4)),
            e.seq,
            d.docNumber ?? '',
            e.employerKey,
            d.employer.name,
            d.employer.uscc ?? null,
            d.bureau.countyCode,
            d.bureau.countyName,
            d.employer.township ?? null,
            d.employer.address ?? null,
            industry.code,
            industry.path,
            JSON.stringify(d.hazards.map((h) => h.name)),
            JSON.stringify(d.diseases.map((x) => ({ name: x.name, catalogueName: x.catalogueName }))),
            d.diseaseCatalogue.docNumber,
            e.template.id,
            e.template.dir,
            e.config.file,
            e.config.sha256,
            d.date,
            source.kind,
            source.kind === 'batch' ? source.file : null,
            source.kind === 'batch' ? source.row : null,
            source.kind === 'batch' ? source.batchId : null,
            JSON.stringify(d),
            JSON.stringify(e.render),
            now,
            now,
            e.issuedBy ?? null,
          ],
        );
        const id = row!.id;
        await db.run('DELETE FROM letter_files WHERE letter_id = ?', [id]);
        for (const f of e.files) {
          await db.run('INSERT INTO letter_files (letter_id, format, sha256, path) VALUES (?, ?, ?, ?)', [id, f.format, f.sha256, f.path]);
        }
        await this.recordSignatures(e.files);
        ids.push(id);
      }
      return ids;
    });
  }

  private async filesOf(id: number): Promise<LetterFile[]> {
    const files = await this.storage.all<LetterFile>('SELECT format, sha256, path FROM letter_files WHERE letter_id = ? ORDER BY format', [
      id,
    ]);
    const out: LetterFile[] = [];
    for (const f of files) {
      const signature = await this.signatureOf(f.sha256);
      out.push(signature ? { ...f, signature } : f);
    }
    return out;
  }

  /** Records the signatures of signed files (keyed by the signed file's SHA-256; a file recorded again keeps its row). */
  private async recordSignatures(files: readonly { sha256: string; signature?: FileSignature }[]): Promise<void> {
    for (const f of files) {
      if (!f.signature) continue;
      await this.storage.run(
        `INSERT INTO file_signatures (sha256, certificate_sha256, signed_at, unsigned_sha256) VALUES (?, ?, ?, ?)
         ON CONFLICT (sha256) DO UPDATE SET certificate_sha256 = excluded.certificate_sha256, signed_at = excluded.signed_at,
           unsigned_sha256 = excluded.unsigned_sha256`,
        [f.sha256, f.signature.certificateSha256, f.signature.signedAt, f.signature.unsignedSha256],
      );
    }
  }

  /** The signature recorded for the signed file with this SHA-256, if any. */
  async signatureOf(sha256: string): Promise<FileSignature | undefined> {
    const row = await this.storage.get<{ certificate_sha256: string; signed_at: string; unsigned_sha256: string }>(
      'SELECT certificate_sha256, signed_at, unsigned_sha256 FROM file_signatures WHERE sha256 = ?',
      [sha256],
    );
    return row && { certificateSha256: row.certificate_sha256, signedAt: row.signed_at, unsignedSha256: row.unsigned_sha256 };
  }

  private async rowOf(r: LetterRow): Promise<RegisterRow> {
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
      files: await this.filesOf(r.id),
      ...(r.issued_by !== null && r.issued_by !== undefined && { issuedBy: r.issued_by }),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  /** One letter by id, with its stored data; undefined when there is none. */
  async letter(id: number): Promise<RegisterLetter | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const r = await this.storage.get<LetterRow>('SELECT * FROM letters WHERE id = ?', [id]);
    if (!r) return undefined;
    return {
      ...(await this.rowOf(r)),
      employerKey: r.employer_key,
      data: JSON.parse(r.data) as LetterDataWithoutSeal,
      template: { id: r.template_id, dir: r.template_dir },
      config: { file: r.config_file, sha256: r.config_sha256 },
      render: JSON.parse(r.options) as RenderOptions,
    };
  }

  /** Letters matching the query, newest first (time recorded, then id), one page of them with the total count. */
  async search(query: RegisterQuery = {}): Promise<RegisterPage> {
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(query.pageSize ?? 20)));
    const page = Math.max(1, Math.trunc(query.page ?? 1));
    const where: string[] = [];
    const params: (string | number)[] = [];
    const q = query.q?.trim();
    if (q) {
      // The text as is, never a pattern (instr / strpos: no LIKE wildcards).
      const has = this.storage.dialect === 'postgres' ? (col: string) => `strpos(${col}, ?) > 0` : (col: string) => `instr(${col}, ?) > 0`;
      where.push(`(${has('name')} OR ${has("upper(coalesce(uscc, ''))").replace('?', 'upper(?)')} OR ${has('doc_number')})`);
      params.push(q, q, q);
    }
    if (query.county) {
      where.push('(county_code = ? OR county_name = ?)');
      params.push(query.county, query.county);
    }
    if (query.counties) {
      where.push(query.counties.length > 0 ? `county_code IN (${query.counties.map(() => '?').join(', ')})` : '1 = 0');
      params.push(...query.counties);
    }
    if (query.from) {
      where.push('letter_date >= ?');
      params.push(query.from);
    }
    if (query.to) {
      where.push('letter_date <= ?');
      params.push(query.to);
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (await this.storage.get<{ n: number }>(`SELECT count(*) AS n FROM letters ${filter}`, params))!.n;
    const rows = await this.storage.all<LetterRow>(
      `SELECT ${ROW_COLUMNS} FROM letters ${filter} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    const listed: RegisterRow[] = [];
    for (const r of rows) listed.push(await this.rowOf(r));
    return { total, page, pageSize, rows: listed };
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
    const letter = await this.letter(id);
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
    await this.storage.run(
      `INSERT INTO letter_files (letter_id, format, sha256, path) VALUES (?, ?, ?, ?)
       ON CONFLICT (letter_id, format) DO UPDATE SET sha256 = excluded.sha256, path = excluded.path`,
      [id, format, sha256, kept],
    );
    return { path: kept, bytes, sha256, remade: true };
  }

  async fileRecord(file: string): Promise<FileRecord | undefined> {
    const row = await this.storage.get<{ sha256: string; batch_id: string }>('SELECT sha256, batch_id FROM files WHERE path = ?', [file]);
    return row && { sha256: row.sha256, batchId: row.batch_id };
  }

  /** Records files a batch wrote (absolute paths) in one transaction. */
  recordFiles(
    files: readonly { path: string; sha256: string; signature?: FileSignature }[],
    batchId: string,
    options: TransactionOptions = {},
  ): Promise<void> {
    return this.transaction(async () => {
      for (const f of files) {
        await this.storage.run(
          `INSERT INTO files (path, sha256, batch_id) VALUES (?, ?, ?)
           ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, batch_id = excluded.batch_id`,
          [f.path, f.sha256, batchId],
        );
      }
      await this.recordSignatures(files);
    }, options);
  }

  /** The batch that last wrote into an output folder. */
  async batchOf(outDir: string): Promise<string | undefined> {
    return (await this.storage.get<{ batch_id: string }>('SELECT batch_id FROM outputs WHERE out_dir = ?', [outDir]))?.batch_id;
  }

  async setBatchOf(outDir: string, batchId: string): Promise<void> {
    await this.storage.run(
      'INSERT INTO outputs (out_dir, batch_id) VALUES (?, ?) ON CONFLICT (out_dir) DO UPDATE SET batch_id = excluded.batch_id',
      [outDir, batchId],
    );
  }

  /** Files recorded under a folder by batches other than `batchId` (what --force replaces). */
  async filesOfOtherBatches(outDir: string, batchId: string): Promise<string[]> {
    const dir = `${outDir}${path.sep}`;
    const rows = await this.storage.all<{ path: string }>('SELECT path FROM files WHERE substr(path, 1, ?) = ? AND batch_id <> ?', [
      [...dir].length, // characters, as substr counts them
      dir,
      batchId,
    ]);
    return rows.map((r) => r.path).sort();
  }

  forgetFiles(paths: readonly string[]): Promise<void> {
    return this.transaction(async () => {
      for (const p of paths) await this.storage.run('DELETE FROM files WHERE path = ?', [p]);
    });
  }

  close(): Promise<void> {
    return this.storage.close();
  }
}

function readIfThere(file: string): Uint8Array | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
