// Reading one data file of the knowledge base: CSV or YAML, every row validated, errors naming file and line.

import fs from 'node:fs';
import path from 'node:path';
import YAML, { LineCounter, isNode } from 'yaml';
import type { z } from 'zod';
import { HazardNoticeError } from '../errors';
import { parseCsv } from '../csv/parse';

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

// Chinese messages for the zod issues data files can raise.
const chineseErrorMap: z.ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case 'invalid_type':
      return { message: issue.received === 'undefined' ? '缺少必填项' : `类型应为 ${issue.expected}，实际为 ${issue.received}` };
    case 'unrecognized_keys':
      return { message: `不认识的键：${issue.keys.join('、')}` };
    case 'invalid_enum_value':
      return { message: `值“${String(issue.received)}”无效，应为 ${issue.options.join('、')} 之一` };
    case 'invalid_literal':
      return { message: `值应为 ${String(issue.expected)}` };
    case 'too_small':
      return { message: issue.type === 'string' ? '不能为空' : `至少应有 ${String(issue.minimum)} 项` };
    case 'invalid_string':
      return { message: `格式不符：“${String(ctx.data)}”` };
    default:
      return { message: issue.message ?? ctx.defaultError };
  }
};

function zodProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const at = issue.path.length > 0 ? `字段 ${issue.path.join('.')}：` : '';
  return `${at}${issue.message}`;
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
    const parsed = schema.safeParse(raw, { errorMap: chineseErrorMap });
    if (!parsed.success) throw dataError(file, record.line, zodProblem(parsed.error));
    return { ...parsed.data, line: record.line };
  });
}

/** A parsed YAML document plus the source line of any node path. */
export interface YamlData<T> {
  value: T;
  lineOf(at: readonly (string | number)[]): number | undefined;
}

export function readYamlFile<T>(file: DataFile, schema: z.ZodType<T, z.ZodTypeDef, unknown>): YamlData<T> {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(readText(file), { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw dataError(file, e.linePos?.[0].line, `YAML 语法错误：${e.message.split('\n')[0]}`);
  }
  const lineOf = (at: readonly (string | number)[]): number | undefined => {
    for (let n = at.length; n >= 0; n--) {
      const node = doc.getIn(at.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const parsed = schema.safeParse(doc.toJS(), { errorMap: chineseErrorMap });
  if (!parsed.success) throw dataError(file, lineOf(parsed.error.issues[0].path), zodProblem(parsed.error));
  return { value: parsed.data, lineOf };
}

/** A problem found in a data file, for `catalog check` and for load errors. */
export interface DataProblem {
  file: string;
  line?: number;
  message: string;
}

export function problemError(problem: DataProblem, total = 1): HazardNoticeError {
  const where = problem.line === undefined ? problem.file : `${problem.file} 第 ${problem.line} 行`;
  const more = total > 1 ? `（共 ${total} 个问题，运行 hazard-notice catalog check 查看全部）` : '';
  return new HazardNoticeError('E_DATA_INVALID', `数据文件 ${where}：${problem.message}${more}`, { ...problem });
}
