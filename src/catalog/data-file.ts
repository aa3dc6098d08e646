// Reading one data file of the knowledge base: CSV or YAML, every row validated, errors naming file and line.

import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { HazardNoticeError } from '../errors';
import { parseCsv } from '../csv/parse';
import { checkSchema } from '../yaml-file/schema-problem';
import { type ValuePath, type YamlProblem, parseYaml, placeText } from '../yaml-file/yaml-file';

/** A file of the data directory, named as users see it in messages (e.g. data/hazards-2015.csv). */
export interface DataFile {
  path: string;
  label: string;
}

export function dataFile(dataDir: string, name: string): DataFile {
  return { path: path.join(dataDir, name), label: path.join(path.basename(dataDir), name) };
}

export function dataError(file: DataFile, line: number | undefined, message: string): HazardNoticeError {
  return problemError({ file: file.label, line, message });
}

function readText(file: DataFile): string {
  try {
    return fs.readFileSync(file.path, 'utf8');
  } catch {
    throw dataError(file, undefined, '文件不存在或无法读取');
  }
}

/** A validated CSV row with the line it starts on. */
export type CsvRow<T> = T & { line: number };

/** Reads a CSV whose header must be exactly `columns`; each row is validated with `schema`. */
export function readCsvFile<T>(file: DataFile, columns: readonly string[], schema: z.ZodType<T, z.ZodTypeDef, unknown>): CsvRow<T>[] {
  const [header, ...records] = parseCsv(readText(file));
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

export function readYamlFile<T>(file: DataFile, schema: z.ZodType<T, z.ZodTypeDef, unknown>): YamlData<T> {
  const fail = (p: YamlProblem) => problemError({ file: file.label, line: p.line, column: p.column, message: p.message });
  const { value, placeOf } = parseYaml(readText(file), schema, fail);
  return { value, lineOf: (at) => placeOf(at)?.line };
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
