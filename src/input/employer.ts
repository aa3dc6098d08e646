// The employer record every reader produces (one per input row).

export interface SourceRef {
  file: string; // as given on the command line
  row: number; // 1-based row number as the user sees it (Excel row, CSV line of the record, JSON/YAML array index + 1)
  sheet?: string;
}

/** Raw-but-trimmed values of one input row, keyed by canonical field. Nothing resolved yet. */
export interface EmployerRecord {
  source: SourceRef;
  name?: string; // 单位名称
  uscc?: string; // 统一社会信用代码, always a string
  industry?: string; // 行业 (code and/or name, as typed)
  county?: string; // 区县
  township?: string; // 乡镇/街道
  address?: string; // 地址
  workers?: string; // 劳动者人数, as typed
  hazards?: string[]; // 危害因素, split on 、，,；;
  /** Extra columns the caller asked for (ReadOptions.extraColumns), by label: the value as typed and its column's header. */
  extra?: Record<string, { value: string; column: string }>;
  /** Column header each field came from, for error messages. */
  columns: Partial<Record<EmployerField, string>>;
}

export type EmployerField = 'name' | 'uscc' | 'industry' | 'county' | 'township' | 'address' | 'workers' | 'hazards';

/** The usual Chinese name of each field, for messages when a record does not say which column it came from. */
export const FIELD_NAMES: Record<EmployerField, string> = {
  name: '单位名称',
  uscc: '统一社会信用代码',
  industry: '行业',
  county: '区县',
  township: '乡镇（街道）',
  address: '地址',
  workers: '劳动者人数',
  hazards: '危害因素',
};

/** A problem with one row: stable code + Chinese message naming file, row, column and value. */
export interface RowError {
  code: string; // stable, e.g. E_NAME_MISSING, E_USCC_CHECK, E_INDUSTRY_UNKNOWN
  source: SourceRef;
  column?: string;
  value?: string;
  message: string; // Chinese
}

/** A RowError about one field of a record: the message names file, row, column (as headed, or the field's usual name) and value. */
export function fieldError(
  record: EmployerRecord,
  field: EmployerField,
  code: string,
  value: string | undefined,
  reason: string,
): RowError {
  const column = record.columns[field] ?? FIELD_NAMES[field];
  const shown = value !== undefined && value !== '' ? `（值：${value}）` : '';
  return {
    code,
    source: record.source,
    column,
    value,
    message: `${record.source.file} 第 ${record.source.row} 行“${column}”列${shown}：${reason}`,
  };
}
