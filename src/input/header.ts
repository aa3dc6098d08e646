// Header recognition: normalises Chinese column headers and maps them to the record's fields.

import { FIELD_NAMES, type EmployerField } from './employer';
import { HazardNoticeError } from '../errors';

/**
 * Where a column's value goes. Industry may come as a code column plus a name column (joined as
 * "C3011 水泥制造"); address may come from several columns, used in ADDRESS_SLOTS order.
 */
export type Slot =
  | Exclude<EmployerField, 'industry' | 'address'>
  | 'industry'
  | 'industryCode'
  | 'address.site'
  | 'address.business'
  | 'address.unit'
  | 'address'
  | 'address.registered'
  | `extra:${string}`;

/**
 * Columns a caller reads beyond the record's fields (the campaign's flags, a declaration's date): label → the headers
 * that name it (compared after normaliseHeader). Their values go to EmployerRecord.extra under the label.
 */
export type ExtraColumns = Readonly<Record<string, readonly string[]>>;

/** The slot a --columns field feeds (one column per field there). */
export const FIELD_SLOT: Record<EmployerField, Slot> = {
  name: 'name',
  uscc: 'uscc',
  industry: 'industry',
  county: 'county',
  township: 'township',
  address: 'address',
  workers: 'workers',
  hazards: 'hazards',
};

/** Address columns, most preferred first: 作业场所地址 is where the hazards are. */
export const ADDRESS_SLOTS: readonly Slot[] = ['address.site', 'address.business', 'address.unit', 'address', 'address.registered'];

export interface ColumnBinding {
  index: number; // 0-based cell index in the row
  header: string; // as written in the file (or the column letter when there is no header row)
}

export type ColumnMap = Map<Slot, ColumnBinding>;

const HEADER_SLOTS: Record<string, Slot> = {
  单位名称: 'name',
  用人单位名称: 'name',
  企业名称: 'name',
  单位全称: 'name',
  name: 'name',
  统一社会信用代码: 'uscc',
  社会信用代码: 'uscc',
  信用代码: 'uscc',
  统一代码: 'uscc',
  uscc: 'uscc',
  行业: 'industry',
  行业名称: 'industry',
  国民经济行业分类: 'industry',
  行业分类: 'industry',
  所属行业: 'industry',
  industry: 'industry',
  行业代码: 'industryCode',
  行业分类代码: 'industryCode',
  国民经济行业代码: 'industryCode',
  国民经济行业分类代码: 'industryCode',
  区县: 'county',
  县区: 'county',
  所在区县: 'county',
  所属区县: 'county',
  所在地: 'county',
  '县(市、区)': 'county',
  '县(区)': 'county',
  county: 'county',
  乡镇: 'township',
  街道: 'township',
  乡镇街道: 'township',
  '乡镇(街道)': 'township',
  '乡镇/街道': 'township',
  所属乡镇: 'township',
  township: 'township',
  作业场所地址: 'address.site',
  经营地址: 'address.business',
  单位地址: 'address.unit',
  地址: 'address',
  address: 'address',
  注册地址: 'address.registered',
  劳动者人数: 'workers',
  职工人数: 'workers',
  在册职工总数: 'workers',
  职工总数: 'workers',
  从业人数: 'workers',
  从业人员数: 'workers',
  workers: 'workers',
  危害因素: 'hazards',
  职业病危害因素: 'hazards',
  主要危害因素: 'hazards',
  存在的职业病危害因素: 'hazards',
  hazards: 'hazards',
};

/** NFKC, no whitespace, no required-field markers (*, ※, (必填)) or trailing colon. */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[*※★]/g, '')
    .replace(/\((必填|选填|必须|可选|必填项|选填项)\)/g, '')
    .replace(/:$/, '');
}

export function slotOfHeader(text: string, extras?: ExtraColumns): Slot | undefined {
  const key = normaliseHeader(text);
  if (Object.hasOwn(HEADER_SLOTS, key)) return HEADER_SLOTS[key];
  const label = Object.entries(extras ?? {}).find(([, headers]) => headers.some((h) => normaliseHeader(h) === key))?.[0];
  return label === undefined ? undefined : `extra:${label}`;
}

/** The label of an extra column's slot; undefined for the record's own slots. */
export function extraLabel(slot: Slot): string | undefined {
  return slot.startsWith('extra:') ? slot.slice('extra:'.length) : undefined;
}

export interface HeaderInfo {
  row: number;
  /** Header text → field it feeds (e.g. { '企业名称': 'name', '行业代码': 'industry' }). */
  mapped: Record<string, string>;
  /** Non-empty headers that feed no field. */
  ignored: string[];
}

/** Field a record's own slot feeds, for the header report and the record's columns map. */
export function fieldOfSlot(slot: Slot): EmployerField {
  if (slot === 'industryCode') return 'industry';
  return slot.startsWith('address') ? 'address' : (slot as EmployerField);
}

/** Maps cells to slots by recognised header text. A second column for a taken slot is reported, not mapped. */
export function mapColumns(
  cells: readonly string[],
  extras?: ExtraColumns,
): {
  map: ColumnMap;
  duplicate?: { slot: Slot; first: ColumnBinding; second: ColumnBinding };
} {
  const map: ColumnMap = new Map();
  let duplicate: { slot: Slot; first: ColumnBinding; second: ColumnBinding } | undefined;
  cells.forEach((text, index) => {
    const slot = slotOfHeader(text, extras);
    if (!slot) return;
    const binding = { index, header: text.trim() };
    const first = map.get(slot);
    if (!first) map.set(slot, binding);
    else duplicate ??= { slot, first, second: binding };
  });
  return { map, duplicate };
}

/** A header row has a name column (or, when names are optional, a USCC column) and at least one more recognised column. */
export function isHeaderRow(map: ColumnMap, nameOptional = false): boolean {
  return (map.has('name') || (nameOptional && map.has('uscc'))) && map.size >= 2;
}

/** E_INPUT_HEADER_DUPLICATE: two columns feed one field. `label` names a column (with its letter for tables). */
export function duplicateColumnError(
  where: string,
  duplicate: { slot: Slot; first: ColumnBinding; second: ColumnBinding },
  label: (b: ColumnBinding) => string,
): HazardNoticeError {
  const { slot, first, second } = duplicate;
  return new HazardNoticeError(
    'E_INPUT_HEADER_DUPLICATE',
    `${where}：${label(first)}和${label(second)}都对应“${extraLabel(slot) ?? FIELD_NAMES[fieldOfSlot(slot)]}”，无法确定用哪一列；` +
      '请删除或改名其中一列，或用 --columns 指定',
    { first: first.header, second: second.header },
  );
}

export function headerInfo(row: number, cells: readonly string[], map: ColumnMap): HeaderInfo {
  const mapped: Record<string, string> = {};
  const used = new Set<number>();
  for (const [slot, binding] of map) {
    mapped[binding.header] = extraLabel(slot) ?? fieldOfSlot(slot);
    used.add(binding.index);
  }
  const ignored = cells.flatMap((text, i) => (!used.has(i) && text.trim() !== '' ? [text.trim()] : []));
  return { row, mapped, ignored };
}

/** 0 → "A", 26 → "AA". */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** "A" → 0, "AA" → 26. */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const c of letters.toUpperCase()) n = n * 26 + (c.charCodeAt(0) - 64);
  return n - 1;
}
