// `register export` / `register import`: the whole register (numbers, counters, letters and their files, signatures,
// batch records, the campaign store) as one JSON document, for backup, for moving an office's SQLite register into
// the city's PostgreSQL, and for audit. Tables in a fixed order, rows by key, values as stored (text, integers,
// null): an export → import → export round trip gives the same bytes, whichever the two databases are.
// `--format csv` writes the letters for a spreadsheet (audit only; not read back).

import { CSV_BOM, csvRow } from '../csv/write';
import { HazardNoticeError } from '../errors';
import { SCHEMA_VERSION } from './migrations';
import type { Register } from './register';
import type { SqlValue } from './storage';

export const EXPORT_FORMAT = 'hazard-notice-register';

interface TableSpec {
  name: string;
  columns: readonly string[];
  /** Leading columns that order the rows (a unique key). */
  key: number;
  /** The table's identity column (PostgreSQL: its sequence is moved past the ids imported). */
  identity?: boolean;
}

/**
 * Every table of the schema, parents before children (the order of import). A new table is added here too. Not
 * sessions: they end with the server they were made on (after an import, everyone logs in again).
 */
const TABLES: readonly TableSpec[] = [
  { name: 'numbers', columns: ['bureau', 'year', 'seq', 'employer_key', 'letter_date', 'template_id'], key: 3 },
  { name: 'number_counters', columns: ['bureau', 'year', 'last_seq'], key: 2 },
  { name: 'files', columns: ['path', 'sha256', 'batch_id'], key: 1 },
  { name: 'outputs', columns: ['out_dir', 'batch_id'], key: 1 },
  {
    name: 'letters',
    columns: [
      'id',
      'bureau',
      'year',
      'seq',
      'doc_number',
      'employer_key',
      'name',
      'uscc',
      'county_code',
      'county_name',
      'township',
      'address',
      'industry_code',
      'industry_path',
      'hazards',
      'diseases',
      'catalogue',
      'template_id',
      'template_dir',
      'config_file',
      'config_sha256',
      'letter_date',
      'source_kind',
      'source_file',
      'source_row',
      'batch_id',
      'data',
      'options',
      'created_at',
      'updated_at',
      'issued_by',
    ],
    key: 1,
    identity: true,
  },
  { name: 'letter_files', columns: ['letter_id', 'format', 'sha256', 'path'], key: 2 },
  { name: 'file_signatures', columns: ['sha256', 'certificate_sha256', 'signed_at', 'unsigned_sha256'], key: 1 },
  { name: 'campaign_imports', columns: ['id', 'kind', 'event_date', 'file', 'sha256', 'summary', 'created_at'], key: 1, identity: true },
  { name: 'campaign_employers', columns: ['id', 'uscc', 'county_code', 'name_key'], key: 1, identity: true },
  { name: 'campaign_states', columns: ['id', 'employer_id', 'event_date', 'import_id', 'removed', 'data'], key: 1, identity: true },
  {
    name: 'campaign_declarations',
    columns: ['id', 'employer_id', 'declared_on', 'kind', 'matched_by', 'import_id', 'source_row'],
    key: 1,
    identity: true,
  },
  { name: 'users', columns: ['login', 'role', 'counties', 'password_hash', 'disabled', 'created_at', 'updated_at'], key: 1 },
  { name: 'audit_log', columns: ['id', 'at', 'login', 'client', 'event', 'outcome', 'detail'], key: 1, identity: true },
];

export interface RegisterExport {
  format: typeof EXPORT_FORMAT;
  schemaVersion: number;
  tables: Record<string, { columns: string[]; rows: SqlValue[][] }>;
}

function compareValues(a: SqlValue, b: SqlValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** Every row of every table, ordered by key (sorted here, so neither database's collation matters). */
export async function exportRegister(register: Register): Promise<RegisterExport> {
  const tables: RegisterExport['tables'] = {};
  for (const t of TABLES) {
    const rows = (await register.storage.all<Record<string, SqlValue>>(`SELECT ${t.columns.join(', ')} FROM ${t.name}`)).map((r) =>
      t.columns.map((c) => r[c]),
    );
    rows.sort((a, b) => {
      for (let i = 0; i < t.key; i++) {
        const c = compareValues(a[i], b[i]);
        if (c !== 0) return c;
      }
      return 0;
    });
    tables[t.name] = { columns: [...t.columns], rows };
  }
  return { format: EXPORT_FORMAT, schemaVersion: SCHEMA_VERSION, tables };
}

/** The export as JSON text: one row a line (diffs and greps well), UTF-8. */
export function exportJson(doc: RegisterExport): string {
  const parts = TABLES.map((t) => {
    const { columns, rows } = doc.tables[t.name];
    const body = rows.map((r) => JSON.stringify(r)).join(',\n');
    return `${JSON.stringify(t.name)}: {"columns": ${JSON.stringify(columns)}, "rows": [${rows.length ? `\n${body}\n` : ''}]}`;
  });
  return `{"format": ${JSON.stringify(doc.format)}, "schemaVersion": ${doc.schemaVersion}, "tables": {\n${parts.join(',\n')}\n}}\n`;
}

const CSV_HEADER = [
  '编号',
  '文号',
  '机关代码',
  '年份',
  '序号',
  '单位名称',
  '统一社会信用代码',
  '区县代码',
  '区县',
  '乡镇街道',
  '地址',
  '行业代码',
  '行业',
  '危害因素',
  '职业病',
  '模板',
  '告知单日期',
  '来源',
  '来源文件',
  '来源行',
  '批次',
  'PDF SHA-256',
  'PDF 文件',
  'DOCX SHA-256',
  'DOCX 文件',
  '首次登记时间',
  '最近登记时间',
];

/** The letters as CSV (UTF-8 with BOM, for a spreadsheet), by id, with their files' SHA-256 and paths. */
export function exportCsv(doc: RegisterExport): string {
  const letters = doc.tables.letters;
  const col = (name: string) => letters.columns.indexOf(name);
  const files = new Map<string, SqlValue[]>();
  for (const f of doc.tables.letter_files.rows) files.set(`${f[0]}|${f[1]}`, f);
  const lines = letters.rows.map((r) => {
    const v = (name: string) => r[col(name)];
    const file = (format: string) => files.get(`${v('id')}|${format}`) ?? [null, null, null, null];
    const list = (name: string) =>
      (JSON.parse(String(v(name))) as (string | { name: string })[]).map((x) => (typeof x === 'string' ? x : x.name));
    return csvRow(
      [
        v('id'),
        v('doc_number'),
        v('bureau'),
        v('year'),
        v('seq'),
        v('name'),
        v('uscc'),
        v('county_code'),
        v('county_name'),
        v('township'),
        v('address'),
        v('industry_code'),
        v('industry_path'),
        list('hazards').join('、'),
        list('diseases').join('、'),
        v('template_id'),
        v('letter_date'),
        v('source_kind'),
        v('source_file'),
        v('source_row'),
        v('batch_id'),
        file('pdf')[2],
        file('pdf')[3],
        file('docx')[2],
        file('docx')[3],
        v('created_at'),
        v('updated_at'),
      ].map((x) => x ?? undefined),
    );
  });
  return CSV_BOM + csvRow(CSV_HEADER) + lines.join('');
}

function badExport(file: string, why: string): HazardNoticeError {
  return new HazardNoticeError('E_IMPORT_FORMAT', `“${file}”不是本工具导出的登记簿（register export --format json）：${why}`, { file });
}

/** Reads and checks an export's shape: its format, schema version, tables and columns, and every value a text, integer or null. */
export function parseExport(text: string, file: string): RegisterExport {
  let doc: RegisterExport;
  try {
    doc = JSON.parse(text) as RegisterExport;
  } catch (e) {
    throw badExport(file, `不是有效的 JSON（${(e as Error).message}）`);
  }
  if (doc?.format !== EXPORT_FORMAT) throw badExport(file, `format 应为 “${EXPORT_FORMAT}”`);
  if (doc.schemaVersion !== SCHEMA_VERSION) {
    throw new HazardNoticeError(
      'E_IMPORT_VERSION',
      `“${file}”的结构版本为 ${doc.schemaVersion}，本版本为 ${SCHEMA_VERSION}：请用导出它的同一版本本工具导入，或先在该版本中升级后重新导出`,
      { file, version: doc.schemaVersion, supported: SCHEMA_VERSION },
    );
  }
  for (const t of TABLES) {
    const table = doc.tables?.[t.name];
    if (!table || JSON.stringify(table.columns) !== JSON.stringify(t.columns)) throw badExport(file, `缺少表 ${t.name} 或其列不符`);
    if (!Array.isArray(table.rows)) throw badExport(file, `表 ${t.name} 缺少 rows`);
    table.rows.forEach((r, i) => {
      const ok =
        Array.isArray(r) &&
        r.length === t.columns.length &&
        r.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v)));
      if (!ok) throw badExport(file, `表 ${t.name} 第 ${i + 1} 行的列数或值的类型不对`);
    });
  }
  return doc;
}

/** Most parameters in one INSERT (SQLite allows 32766, PostgreSQL 65535). */
const MAX_PARAMS = 10_000;

/**
 * Imports an export into an empty register, in one transaction: all of it or nothing. Checked by the database's own
 * constraints (keys, uniques, references) and for the number counters matching the numbers issued (the next
 * number then neither repeats nor skips).
 */
export async function importRegister(register: Register, doc: RegisterExport, file: string): Promise<Record<string, number>> {
  const db = register.storage;
  const counts: Record<string, number> = {};
  await register.transaction(async () => {
    for (const t of TABLES) {
      const n = (await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${t.name}`))!.n;
      if (n > 0) {
        throw new HazardNoticeError(
          'E_IMPORT_NOT_EMPTY',
          `登记簿“${register.location}”不是空的（表 ${t.name} 已有 ${n} 行）：导入只能进入新建的空登记簿，以免文号重复或混入`,
          { database: register.location, table: t.name },
        );
      }
    }
    for (const t of TABLES) {
      const rows = doc.tables[t.name].rows;
      const perInsert = Math.max(1, Math.floor(MAX_PARAMS / t.columns.length));
      const one = `(${t.columns.map(() => '?').join(', ')})`;
      for (let i = 0; i < rows.length; i += perInsert) {
        const chunk = rows.slice(i, i + perInsert);
        try {
          await db.run(`INSERT INTO ${t.name} (${t.columns.join(', ')}) VALUES ${chunk.map(() => one).join(', ')}`, chunk.flat());
        } catch (e) {
          // A row the database refuses (a duplicate key, a reference to nothing): the file, table and rows, in Chinese.
          if (e instanceof HazardNoticeError) throw e;
          throw badExport(file, `表 ${t.name} 第 ${i + 1}–${i + chunk.length} 行无法写入：${(e as Error).message}`);
        }
      }
      if (t.identity && db.dialect === 'postgres') {
        await db.get(`SELECT setval(pg_get_serial_sequence('${t.name}', 'id'), coalesce(max(id), 0) + 1, false) FROM ${t.name}`);
      }
      counts[t.name] = rows.length;
    }
    const off = await db.get<{ n: number }>(
      `SELECT count(*) AS n FROM (SELECT bureau, year, max(seq) AS m FROM numbers GROUP BY bureau, year) s
       LEFT JOIN number_counters c ON c.bureau = s.bureau AND c.year = s.year WHERE c.last_seq IS NULL OR c.last_seq <> s.m`,
    );
    if (off!.n > 0) throw badExport(file, `number_counters 与 numbers 中已出具的文号不一致（${off!.n} 个机关年度）`);
  });
  return counts;
}
