// One input row → one ReadItem: clean the values, fill the record, run the row checks.

import type { EmployerField, EmployerRecord, RowError, SourceRef } from './employer';
import { FIELD_NAMES } from './employer';
import { ADDRESS_SLOTS, extraLabel, type ColumnBinding, type ColumnMap, type Slot } from './header';
import { checkUscc } from './uscc';

export type ReadItem = { kind: 'record'; record: EmployerRecord } | { kind: 'error'; error: RowError };

export type InputFormat = 'xlsx' | 'csv' | 'json' | 'yaml';

/** One cell as read. `numeric`: the source stored a number (xlsx numeric cell, JSON number), not text. */
export interface Cell {
  text: string;
  numeric: boolean;
}

export interface RowContext {
  file: string;
  format: InputFormat;
  sheet?: string;
}

/** "名单.xlsx（工作表“Sheet1”）第 5 行" or, for JSON/YAML, "名单.json 第 3 项（第 12 行）". */
export function rowLocation(ctx: RowContext, row: number, line?: number): string {
  if (ctx.format === 'json' || ctx.format === 'yaml') return `${ctx.file} 第 ${row} 项（第 ${line ?? '?'} 行）`;
  return `${ctx.file}${ctx.sheet !== undefined ? `（工作表“${ctx.sheet}”）` : ''} 第 ${row} 行`;
}

function sourceRef(ctx: RowContext, row: number): SourceRef {
  return { file: ctx.file, row, ...(ctx.sheet !== undefined ? { sheet: ctx.sheet } : {}) };
}

export function rowError(
  ctx: RowContext,
  row: number,
  line: number | undefined,
  code: string,
  reason: string,
  column?: string,
  value?: string,
): ReadItem {
  const source = sourceRef(ctx, row);
  const at = column !== undefined ? `“${column}”列` : '';
  const shown = value !== undefined && value !== '' ? `（值：${value}）` : '';
  return {
    kind: 'error',
    error: {
      code,
      source,
      ...(column !== undefined ? { column } : {}),
      ...(value !== undefined ? { value } : {}),
      message: `${rowLocation(ctx, row, line)}${at}${shown}：${reason}`,
    },
  };
}

/** Control characters (U+0000–U+001F, U+007F) removed, then trimmed (full-width spaces included). */
export function cleanValue(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, '').trim();
}

/** A line break inside a cell (Alt+Enter in Excel) also separates hazards. */
const HAZARD_SEPARATORS = /[、，,；;/／\r\n\u2028\u2029]/;

const LINE_BREAK = /[\r\n\u2028\u2029]/;

/** Slots whose value is one line: a line break there is refused, never joined (the address's breaks are joined, hazards' split). */
const ONE_LINE_SLOTS: readonly Slot[] = ['name', 'uscc', 'industryCode', 'industry', 'county', 'township', 'workers'];

function lineBreakReason(format: InputFormat): string {
  const csv = format === 'csv' ? '；在 CSV 中这往往是某处多了一个引号，把后面几行并进了这个单元格，请核对该行及其后几行' : '';
  return `单元格内有换行，这一栏应为一行文字，程序不会自行拼接或截断${csv}；请在原文件中改正后重新运行`;
}

function numericUsccReason(format: InputFormat): string {
  return format === 'json'
    ? '统一社会信用代码写成了数字而不是字符串，超过 15 位的部分会丢失；请加上引号写成字符串'
    : 'Excel 把这个代码存成了数字，超过 15 位的部分已丢失（变成了 0 或科学计数法），无法还原；请把该列设置为“文本”格式后重新填写原代码';
}

/** What every reader yields for a character its file could not decode (or that the file itself holds). */
const REPLACEMENT_CHARACTER = '\uFFFD';

const UNDECODABLE_REASON =
  `文件本身在这里含有无法解码的字符“${REPLACEMENT_CHARACTER}”（U+FFFD）：原字在保存或转换编码时已经丢失或损坏，` +
  '程序无法还原，也不会猜测（这不是字体缺字）；请在原文件中改正这个单元格后重新运行';

/** The leftmost column feeding the record that holds U+FFFD, if any. */
function undecodableColumn(cells: readonly Cell[], map: ColumnMap): ColumnBinding | undefined {
  let found: ColumnBinding | undefined;
  for (const b of map.values()) {
    if (cells[b.index]?.text.includes(REPLACEMENT_CHARACTER) && (!found || b.index < found.index)) found = b;
  }
  return found;
}

/** Slots whose value is one line, extra columns included. */
function oneLineSlots(map: ColumnMap): Slot[] {
  return [...ONE_LINE_SLOTS, ...[...map.keys()].filter((s) => extraLabel(s) !== undefined)];
}

/**
 * Builds the item for one row, or undefined for a blank row (`nameOptional`: a row with a USCC needs no name).
 * A row with several problems yields the first one only, checked in this order: an undecodable character in a column
 * the record uses, a line break in a one-line column, name, then 统一社会信用代码.
 */
export function buildItem(
  ctx: RowContext,
  row: number,
  line: number | undefined,
  cells: readonly Cell[],
  map: ColumnMap,
  nameOptional = false,
): ReadItem | undefined {
  if (cells.every((c) => cleanValue(c.text) === '')) return undefined;
  const undecodable = undecodableColumn(cells, map);
  if (undecodable) {
    const value = cleanValue(cells[undecodable.index].text);
    return rowError(ctx, row, line, 'E_INPUT_UNDECODABLE', UNDECODABLE_REASON, undecodable.header, value);
  }
  for (const slot of oneLineSlots(map)) {
    const b = map.get(slot);
    const text = b ? cells[b.index]?.text : undefined;
    if (b && text !== undefined && LINE_BREAK.test(text.trim())) {
      return rowError(
        ctx,
        row,
        line,
        'E_CELL_LINE_BREAK',
        lineBreakReason(ctx.format),
        b.header,
        text.trim().replace(/\r?\n|\r|\u2028|\u2029/g, '↵'),
      );
    }
  }
  const cellAt = (b: ColumnBinding | undefined): Cell | undefined => (b ? cells[b.index] : undefined);
  const valueOf = (slot: Slot): string => cleanValue(cellAt(map.get(slot))?.text ?? '');

  const columns: Partial<Record<EmployerField, string>> = {};
  for (const field of ['name', 'uscc', 'county', 'township', 'workers', 'hazards'] as const) {
    const b = map.get(field);
    if (b) columns[field] = b.header;
  }
  const industryCode = map.get('industryCode');
  const industryName = map.get('industry');
  if (industryCode && industryName) columns.industry = `${industryCode.header}、${industryName.header}`;
  else if (industryCode || industryName) columns.industry = (industryCode ?? industryName)!.header;

  const addressSlots = ADDRESS_SLOTS.filter((s) => map.has(s));
  const addressSlot = addressSlots.find((s) => valueOf(s) !== '') ?? addressSlots[0];
  if (addressSlot) columns.address = map.get(addressSlot)!.header;

  const record: EmployerRecord = { source: sourceRef(ctx, row), columns };

  const name = valueOf('name');
  if (name === '' && !(nameOptional && valueOf('uscc') !== '')) {
    return rowError(ctx, row, line, 'E_NAME_MISSING', '单位名称为空，无法生成告知单', columns.name ?? FIELD_NAMES.name, '');
  }
  if (name !== '') record.name = name;

  const usccCell = cellAt(map.get('uscc'));
  const uscc = valueOf('uscc');
  if (uscc !== '') {
    if (usccCell?.numeric) return rowError(ctx, row, line, 'E_USCC_EXCEL', numericUsccReason(ctx.format), columns.uscc, uscc);
    const checked = checkUscc(uscc);
    if (!checked.ok) return rowError(ctx, row, line, checked.code, checked.reason, columns.uscc, uscc);
    record.uscc = checked.value;
  }

  const industry = [valueOf('industryCode'), valueOf('industry')].filter((v) => v !== '').join(' ');
  if (industry !== '') record.industry = industry;
  for (const field of ['county', 'township', 'workers'] as const) {
    const v = valueOf(field);
    if (v !== '') record[field] = v;
  }
  if (addressSlot && valueOf(addressSlot) !== '') record.address = valueOf(addressSlot);
  const hazards = (cellAt(map.get('hazards'))?.text ?? '')
    .split(HAZARD_SEPARATORS)
    .map(cleanValue)
    .filter((h) => h !== '');
  if (hazards.length > 0) record.hazards = hazards;
  for (const [slot, b] of map) {
    const label = extraLabel(slot);
    if (label !== undefined && valueOf(slot) !== '') (record.extra ??= {})[label] = { value: valueOf(slot), column: b.header };
  }
  return { kind: 'record', record };
}
