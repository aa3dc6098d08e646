// Reading one data file of the knowledge base: CSV or YAML, every row validated, errors naming file and line.

import fs from 'node:fs';
import path from 'node:path';
import type { Schema } from '../yaml-file/lazy-schema';
import { HazardNoticeError } from '../errors';
import { parseCsv } from '../csv/parse';
import { checkSchema } from '../yaml-file/schema-problem';
import { type ValuePath, type YamlProblem, parseYaml, placeText } from '../yaml-file/yaml-file';
import type { PrebuiltData, PrebuiltRecorder } from './prebuilt';

/** Where validated values may come from (the prebuilt knowledge base) and go to (a recorder making one). */
export interface DataSource {
  prebuilt?: PrebuiltData;
  recorder?: PrebuiltRecorder;
}

/** A file of the data directory, named as users see it in messages (e.g. data/hazards-2015.csv). */
export interface DataFile {
  path: string;
  label: string;
  /** The name within the data directory (catalog.yaml, hazards-2015.csv), as the prebuilt knowledge base keys it. */
  name?: string;
  source?: DataSource;
}

export function dataFile(dataDir: string, name: string, source?: DataSource): DataFile {
  return { path: path.join(dataDir, name), label: path.join(path.basename(dataDir), name), name, source };
}

export function dataError(file: DataFile, line: number | undefined, message: string): HazardNoticeError {
  return problemError({ file: file.label, line, message });
}

function readBytes(file: DataFile): Buffer {
  try {
    return fs.readFileSync(file.path);
  } catch {
    throw dataError(file, undefined, '文件不存在或无法读取');
  }
}

/** The file's validated value: prebuilt for exactly these bytes, else `parse` of its text (recorded when recording). */
function readValue<T>(file: DataFile, parse: (text: string) => T): T {
  const bytes = readBytes(file);
  const { name, source } = file;
  const prebuilt = name === undefined ? undefined : source?.prebuilt?.valueOf(name, bytes);
  if (prebuilt !== undefined) return prebuilt as T;
  const value = parse(bytes.toString('utf8'));
  if (name !== undefined) source?.recorder?.record(name, bytes, value);
  return value;
}

/** A validated CSV row with the line it starts on. */
export type CsvRow<T> = T & { line: number };

/** Reads a CSV whose header must be exactly `columns`; each row is validated with `schema`. */
export function readCsvFile<T>(file: DataFile, columns: readonly string[], schema: Schema<T>): CsvRow<T>[] {
  return readValue(file, (text) => parseCsvRows(file, text, columns, schema));
}

function parseCsvRows<T>(file: DataFile, text: string, columns: readonly string[], schema: Schema<T>): CsvRow<T>[] {
  const [header, ...records] = parseCsv(text, file.label);
  if (!header || header.fields.join(',') !== columns.join(',')) {
    throw dataError(file, 1, `表头应为 ${columns.join(',')}，实际为 ${header ? header.fields.join(',') : '（空文件）'}`);
  }
  return records.map((record) => {
    if (record.fields.length !== columns.length) {
      throw dataError(file, record.line, `应有 ${columns.length} 列，实际 ${record.fields.length} 列`);
    }
    const raw = Object.fromEntries(columns.map((c, i) => [c, record.fields[i]]));
    const checked = checkSchema(schema, raw);
    if (!checked.ok) throw dataError(file, record.line, checked.problem.message);
    return { ...checked.value, line: record.line };
  });
}

/** A parsed YAML document plus the source line of any node path. */
export interface YamlData<T> {
  value: T;
  lineOf(at: ValuePath): number | undefined;
}

/** A YAML file as stored in the prebuilt knowledge base: its value and the lines asked for while reading it. */
interface PlacedValue<T> {
  value: T;
  lines: Map<string, number | undefined>;
}

export function readYamlFile<T>(file: DataFile, schema: Schema<T>): YamlData<T> {
  const fail = (p: YamlProblem) => problemError({ file: file.label, line: p.line, column: p.column, message: p.message });
  let parsed: ReturnType<typeof parseYaml<T>> | undefined;
  const parse = (text: string) => (parsed = parseYaml(text, schema, fail));
  const { value, lines } = readValue<PlacedValue<T>>(file, (text) => ({ value: parse(text).value, lines: new Map() }));
  // Lines come from the parsed document (and are kept for the prebuilt image), else from the image; a line the
  // image lacks is found by parsing the file after all.
  const lineOf = (at: ValuePath) => {
    const key = JSON.stringify(at);
    if (!parsed && lines.has(key)) return lines.get(key);
    const line = (parsed ?? parse(readBytes(file).toString('utf8'))).placeOf(at)?.line;
    lines.set(key, line);
    return line;
  };
  return { value, lineOf };
}

/** A problem found in a data file, for `catalog check` and for load errors. */
export interface DataProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export function problemError(problem: DataProblem, total = 1): HazardNoticeError {
  const where = problem.line === undefined ? problem.file : `${problem.file} ${placeText(problem.line, problem.column)}`;
  const more = total > 1 ? `（共 ${total} 个问题，运行 hazard-notice catalog check 查看全部）` : '';
  return new HazardNoticeError('E_DATA_INVALID', `数据文件 ${where}：${problem.message}${more}`, { ...problem });
}
