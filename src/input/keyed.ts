// JSON/YAML inputs: each element is an object whose keys are headers (Chinese variants or field names).

import type { ColumnsSpec } from './columns-file';
import type { EmployerField } from './employer';
import { duplicateColumnError, headerInfo, mapColumns, normaliseHeader, type ColumnMap, FIELD_SLOT } from './header';
import { buildItem, rowError, rowLocation, type Cell, type ReadItem, type RowContext } from './record';
import type { TableOptions } from './table';

/** One top-level element: its parsed value, or why it could not be parsed. */
export type KeyedElement = { row: number; line: number } & ({ value: unknown } | { code: string; reason: string });

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function cellOf(value: Scalar | Scalar[]): Cell {
  if (Array.isArray(value)) return { text: value.map((v) => cellOf(v).text).join('、'), numeric: false };
  if (value === null) return { text: '', numeric: false };
  return { text: String(value), numeric: typeof value === 'number' };
}

function mapKeys(
  keys: readonly string[],
  spec: ColumnsSpec | undefined,
  extras: TableOptions['extraColumns'],
): { map: ColumnMap; duplicate?: ReturnType<typeof mapColumns>['duplicate'] } {
  if (!spec) return mapColumns(keys, extras);
  const map: ColumnMap = new Map();
  for (const [slot, binding] of mapColumns(keys, extras).map) if (slot.startsWith('extra:')) map.set(slot, binding);
  const normalised = keys.map(normaliseHeader);
  for (const [field, ref] of Object.entries(spec.columns) as [EmployerField, ColumnsSpec['columns'][EmployerField]][]) {
    if (!ref) continue;
    const index = normalised.indexOf(normaliseHeader('letter' in ref ? ref.letter : ref.header));
    if (index >= 0) map.set(FIELD_SLOT[field], { index, header: keys[index] });
  }
  return { map };
}

export async function* readKeyed(
  elements: AsyncIterable<KeyedElement>,
  ctx: RowContext,
  options: Omit<TableOptions, 'columnsFile'>,
): AsyncGenerator<ReadItem> {
  let lastKeys = '';
  let map: ColumnMap = new Map();
  let reported = false;
  for await (const element of elements) {
    const { row, line } = element;
    if ('code' in element) {
      yield rowError(ctx, row, line, element.code, element.reason);
      continue;
    }
    const value = element.value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield rowError(ctx, row, line, 'E_ROW_NOT_OBJECT', '应为一个对象（键为列名，如 {"单位名称": "…"}），实际不是');
      continue;
    }
    const entries = Object.entries(value as Record<string, unknown>);
    const bad = entries.find(([, v]) => !(isScalar(v) || (Array.isArray(v) && v.every(isScalar))));
    if (bad) {
      yield rowError(ctx, row, line, 'E_ROW_VALUE', '值应为文字、数字或文字列表，不能是嵌套的对象', bad[0]);
      continue;
    }
    const keys = entries.map(([k]) => k);
    const signature = JSON.stringify(keys);
    if (signature !== lastKeys) {
      const found = mapKeys(keys, options.spec, options.extraColumns);
      if (found.duplicate) throw duplicateColumnError(rowLocation(ctx, row, line), found.duplicate, (b) => `键“${b.header}”`);
      map = found.map;
      lastKeys = signature;
    }
    if (!reported) {
      options.onHeader?.(headerInfo(row, keys, map));
      reported = true;
    }
    const cells = entries.map(([, v]) => cellOf(v as Scalar | Scalar[]));
    const item = buildItem(ctx, row, line, cells, map, options.nameOptional);
    yield item ?? rowError(ctx, row, line, 'E_NAME_MISSING', '空对象：没有任何值，无法生成告知单', '单位名称', '');
  }
}
