// Tabular inputs (xlsx, csv): find the header row (or apply --columns), then one item per data row.

import { HazardNoticeError } from '../errors';
import type { ColumnsSpec } from './columns-file';
import { FIELD_NAMES } from './employer';
import {
  columnIndex,
  columnLetter,
  duplicateColumnError,
  headerInfo,
  isHeaderRow,
  mapColumns,
  normaliseHeader,
  type ColumnMap,
  type HeaderInfo,
  FIELD_SLOT,
  type ExtraColumns,
} from './header';
import type { EmployerField } from './employer';
import { buildItem, rowLocation, type Cell, type ReadItem, type RowContext } from './record';

export interface TableRow {
  row: number; // as the user sees it: Excel row, CSV line where the record starts
  cells: Cell[];
}

/** The header must be within the first HEADER_SEARCH_ROWS rows. */
const HEADER_SEARCH_ROWS = 20;

const tableLabel = (b: { index: number; header: string }) => `${columnLetter(b.index)} 列“${b.header}”`;

/** Maps the --columns spec against a header row (undefined: no header row, letters only). */
function mapSpec(spec: ColumnsSpec, header: readonly string[] | undefined, where: string, columnsFile: string): ColumnMap {
  const map: ColumnMap = new Map();
  for (const [field, ref] of Object.entries(spec.columns) as [EmployerField, ColumnsSpec['columns'][EmployerField]][]) {
    if (!ref) continue;
    if ('letter' in ref) {
      const index = columnIndex(ref.letter);
      const text = header?.[index]?.trim();
      map.set(FIELD_SLOT[field], { index, header: text ? text : ref.letter });
      continue;
    }
    const wanted = normaliseHeader(ref.header);
    const index = (header ?? []).findIndex((h) => normaliseHeader(h) === wanted);
    if (index < 0) {
      const present = (header ?? []).map((h) => h.trim()).filter((h) => h !== '');
      throw new HazardNoticeError(
        'E_COLUMNS_FILE',
        `列定义文件“${columnsFile}”中“columns.${field}”：${where}没有名为“${ref.header}”的列（表头有：${present.join('、') || '无'}）`,
        { file: columnsFile, key: `columns.${field}` },
      );
    }
    map.set(FIELD_SLOT[field], { index, header: header![index].trim() });
  }
  return map;
}

/** Extra columns are found by their headers also when --columns names the record's own columns. */
function withExtras(map: ColumnMap, header: readonly string[] | undefined, extras: ExtraColumns | undefined): ColumnMap {
  if (!extras || !header) return map;
  for (const [slot, binding] of mapColumns(header, extras).map) if (slot.startsWith('extra:') && !map.has(slot)) map.set(slot, binding);
  return map;
}

function specMatches(spec: ColumnsSpec, header: readonly string[]): boolean {
  const present = new Set(header.map(normaliseHeader));
  return Object.values(spec.columns).every((ref) => !ref || 'letter' in ref || present.has(normaliseHeader(ref.header)));
}

export interface TableOptions {
  spec?: ColumnsSpec;
  columnsFile?: string;
  onHeader?: (info: HeaderInfo) => void;
  extraColumns?: ExtraColumns;
  /** A row with a USCC needs no name (and a header row needs a name or a USCC column). */
  nameOptional?: boolean;
}

/**
 * Items for the data rows of a table. Rows up to the header (title rows, blank rows) are skipped;
 * after it, every non-blank row yields exactly one item.
 */
export async function* readTable(rows: AsyncIterable<TableRow>, ctx: RowContext, options: TableOptions): AsyncGenerator<ReadItem> {
  const fileWhere = ctx.sheet !== undefined ? `“${ctx.file}”的工作表“${ctx.sheet}”` : `“${ctx.file}”`;
  let map: ColumnMap | undefined;
  const spec = options.spec;
  if (spec?.headerRow === 0) {
    map = mapSpec(spec, undefined, fileWhere, options.columnsFile ?? '');
    options.onHeader?.(headerInfo(0, [], map));
  }
  for await (const { row, cells } of rows) {
    if (map) {
      const item = buildItem(ctx, row, undefined, cells, map, options.nameOptional);
      if (item) yield item;
      continue;
    }
    const texts = cells.map((c) => c.text);
    if (spec) {
      if (spec.headerRow !== undefined ? row === spec.headerRow : specMatches(spec, texts)) {
        map = withExtras(mapSpec(spec, texts, `${fileWhere}第 ${row} 行`, options.columnsFile ?? ''), texts, options.extraColumns);
        options.onHeader?.(headerInfo(row, texts, map));
      }
    } else {
      const found = mapColumns(texts, options.extraColumns);
      if (isHeaderRow(found.map, options.nameOptional)) {
        if (found.duplicate) throw duplicateColumnError(rowLocation(ctx, row), found.duplicate, tableLabel);
        map = found.map;
        options.onHeader?.(headerInfo(row, texts, map));
      }
    }
    if (!map && row >= (spec?.headerRow ?? HEADER_SEARCH_ROWS)) throw noHeader(ctx, fileWhere, options);
  }
  if (!map) throw noHeader(ctx, fileWhere, options);
}

function noHeader(ctx: RowContext, fileWhere: string, options: { spec?: ColumnsSpec; columnsFile?: string }): HazardNoticeError {
  const { spec, columnsFile } = options;
  let reason: string;
  if (spec?.headerRow !== undefined) {
    reason = `第 ${spec.headerRow} 行是空行或不存在，不能作表头（见列定义文件“${columnsFile}”的 headerRow）`;
  } else if (spec) {
    const named = Object.values(spec.columns).flatMap((ref) => (ref && 'header' in ref ? [`“${ref.header}”`] : []));
    reason = `前 ${HEADER_SEARCH_ROWS} 行中没有一行同时含有列定义文件“${columnsFile}”指定的列 ${named.join('、')}`;
  } else {
    reason =
      `前 ${HEADER_SEARCH_ROWS} 行中没有找到表头：需要一行含“${FIELD_NAMES.name}”列（或 用人单位名称、企业名称）和至少一个其他可识别的列` +
      '（如 统一社会信用代码、行业、区县、地址、危害因素）；其他格式请用 --columns 指定列';
  }
  return new HazardNoticeError('E_INPUT_HEADER', `${fileWhere}：${reason}`, { file: ctx.file, sheet: ctx.sheet });
}
