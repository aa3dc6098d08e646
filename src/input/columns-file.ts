// The --columns file: an explicit column layout for inputs whose headers are not recognised.
//   headerRow: 2            # optional; 0 = no header row (then columns by letter only)
//   columns:
//     name: A               # a column letter …
//     uscc: 代码（18位）     # … or the header text (for JSON/YAML: the key)
//     county: 所在县
// Fields: name (required), uscc, industry, county, township, address, workers, hazards.

import fs from 'node:fs';
import { lazySchema } from '../yaml-file/lazy-schema';
import { HazardNoticeError } from '../errors';
import { parseYaml, yamlFileError } from '../yaml-file/yaml-file';
import type { EmployerField } from './employer';

/** A column named by its letter (tables only) or by its header text / JSON key. */
export type ColumnRef = { letter: string } | { header: string };

export interface ColumnsSpec {
  /** Row holding the headers (as the user sees it); 0 = no header row; undefined = search the first 20 rows. */
  headerRow?: number;
  columns: Partial<Record<EmployerField, ColumnRef>>;
}

const columnText = lazySchema((z) =>
  z.union([z.string().trim().min(1), z.number().int().transform(String)], {
    errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_union' ? '应为列字母（如 A）或表头文字' : ctx.defaultError }),
  }),
);

const schema = lazySchema((z) =>
  z
    .object(
      {
        headerRow: z.number({ invalid_type_error: '应为行号（整数）' }).int().min(0).optional(),
        columns: z
          .object(
            {
              name: columnText(),
              uscc: columnText().optional(),
              industry: columnText().optional(),
              county: columnText().optional(),
              township: columnText().optional(),
              address: columnText().optional(),
              workers: columnText().optional(),
              hazards: columnText().optional(),
            },
            { invalid_type_error: '应为“字段: 列”的映射' },
          )
          .strict(),
      },
      { invalid_type_error: '应为映射（headerRow、columns）' },
    )
    .strict(),
);

const LETTERS = /^[A-Za-z]{1,3}$/;

export function loadColumnsSpec(file: string): ColumnsSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new HazardNoticeError('E_COLUMNS_FILE', `无法读取列定义文件“${file}”：${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      file,
    });
  }
  const invalid = yamlFileError('E_COLUMNS_FILE', '列定义文件', file);
  const { value, placeOf } = parseYaml(text, schema, invalid);
  const columns: Partial<Record<EmployerField, ColumnRef>> = {};
  for (const [field, ref] of Object.entries(value.columns) as [EmployerField, string | undefined][]) {
    if (ref !== undefined) columns[field] = LETTERS.test(ref) ? { letter: ref.toUpperCase() } : { header: ref };
  }
  const spec: ColumnsSpec = { headerRow: value.headerRow, columns };
  const byHeader = Object.values(columns).some((ref) => 'header' in ref);
  if (spec.headerRow === 0 && byHeader) {
    const message = 'headerRow 为 0（没有表头行）时，columns 只能用列字母（如 A、B）';
    throw invalid({ ...placeOf(['headerRow']), key: 'headerRow', message });
  }
  if (spec.headerRow === undefined && !byHeader) {
    const message = '缺少 headerRow：columns 全部用列字母时须写明表头所在行（没有表头写 0），否则无法确定数据从哪一行开始';
    throw invalid({ ...placeOf([]), key: 'headerRow', message });
  }
  return spec;
}
