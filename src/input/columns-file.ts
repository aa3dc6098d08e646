// The --columns file: an explicit column layout for inputs whose headers are not recognised.
//   headerRow: 2            # optional; 0 = no header row (then columns by letter only)
//   columns:
//     name: A               # a column letter …
//     uscc: 代码（18位）     # … or the header text (for JSON/YAML: the key)
//     county: 所在县
// Fields: name (required), uscc, industry, county, township, address, workers, hazards.

import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { HazardNoticeError } from '../errors';
import type { EmployerField } from './employer';

/** A column named by its letter (tables only) or by its header text / JSON key. */
export type ColumnRef = { letter: string } | { header: string };

export interface ColumnsSpec {
  /** Row holding the headers (as the user sees it); 0 = no header row; undefined = search the first 20 rows. */
  headerRow?: number;
  columns: Partial<Record<EmployerField, ColumnRef>>;
}

const columnText = z.union([z.string().trim().min(1, '不能为空'), z.number().int().transform(String)]);

const schema = z
  .object({
    headerRow: z.number({ invalid_type_error: '应为行号（整数）' }).int('应为整数').min(0, '不能为负数').optional(),
    columns: z
      .object({
        name: columnText,
        uscc: columnText.optional(),
        industry: columnText.optional(),
        county: columnText.optional(),
        township: columnText.optional(),
        address: columnText.optional(),
        workers: columnText.optional(),
        hazards: columnText.optional(),
      }, { required_error: '缺少 columns', invalid_type_error: '应为“字段: 列”的映射' })
      .strict(),
  }, { invalid_type_error: '文件内容应为映射（headerRow、columns）' })
  .strict();

const LETTERS = /^[A-Za-z]{1,3}$/;

export function loadColumnsSpec(file: string): ColumnsSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new HazardNoticeError('E_COLUMNS_FILE', `无法读取列定义文件“${file}”：${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file });
  }
  let raw: unknown;
  try {
    raw = YAML.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new HazardNoticeError('E_COLUMNS_FILE', `列定义文件“${file}”${line ? `第 ${line} 行` : ''}不是有效的 YAML`, { file });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.join('.') || '（文件本身）';
    const given = issue.path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), raw);
    const reason =
      issue.code === 'unrecognized_keys'
        ? `不认识的键 ${issue.keys.join('、')}（可用：headerRow、columns 下的 name、uscc、industry、county、township、address、workers、hazards）`
        : issue.path.length > 0 && given === undefined
          ? '缺少此项'
          : issue.code === 'invalid_union'
            ? '应为列字母（如 A）或表头文字'
            : issue.message;
    throw new HazardNoticeError('E_COLUMNS_FILE', `列定义文件“${file}”中“${key}”：${reason}`, { file, key });
  }
  const columns: Partial<Record<EmployerField, ColumnRef>> = {};
  for (const [field, ref] of Object.entries(parsed.data.columns) as [EmployerField, string | undefined][]) {
    if (ref !== undefined) columns[field] = LETTERS.test(ref) ? { letter: ref.toUpperCase() } : { header: ref };
  }
  const spec: ColumnsSpec = { headerRow: parsed.data.headerRow, columns };
  const byHeader = Object.values(columns).some((ref) => 'header' in ref);
  if (spec.headerRow === 0 && byHeader) {
    throw new HazardNoticeError('E_COLUMNS_FILE', `列定义文件“${file}”中“headerRow”：为 0（没有表头行）时，columns 只能用列字母（如 A、B）`, { file, key: 'headerRow' });
  }
  if (spec.headerRow === undefined && !byHeader) {
    throw new HazardNoticeError('E_COLUMNS_FILE', `列定义文件“${file}”中“headerRow”：columns 全部用列字母时须写明表头所在行（没有表头写 0），否则无法确定数据从哪一行开始`, { file, key: 'headerRow' });
  }
  return spec;
}
