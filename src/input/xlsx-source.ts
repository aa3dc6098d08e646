// xlsx rows read from the package's XML: one sheet (the first, or --sheet), values as plain text.
// Own reader (yauzl + saxes) instead of exceljs's streaming reader, which decodes each inflated chunk on its own
// and so turns a character split between two chunks into U+FFFD (exceljs #2063, #2084, #2316).
// Shared strings are held in memory; the sheet is streamed row by row.

import { HazardNoticeError } from '../errors';
import type { Cell } from './record';
import type { TableRow } from './table';
import { attribute, collectXml, parseXml, resolveTarget, XlsxPackage, type XmlHandler } from './xlsx-package';

/** Excel's own limits: a column beyond XFD is a broken file, not a wide sheet. */
const MAX_COLUMNS = 16_384;

/** Built-in number formats that show dates or times: 14–22, 45–47, and the zh-CN ones 27–36, 50–58. */
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** A format code that shows a date or time (the test exceljs uses: y m d h s b outside quotes and brackets). */
export function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** ST_Xstring escapes: `_x000D_` is a carriage return, `_x005F_` a literal underscore. */
const unescapeXstring = (s: string): string =>
  s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

function numberText(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

/** An Excel serial date as YYYY-MM-DD (the 1904 system adds 1,462 days). */
function serialDateText(serial: number, date1904: boolean): string {
  const date = new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

interface Workbook {
  sheets: { name: string; part: string | undefined }[];
  date1904: boolean;
  sharedStrings?: string;
  styles?: string;
}

type Relationship = { id: string; type: string; target: string };

async function relationships(pkg: XlsxPackage, sourcePart: string): Promise<Relationship[]> {
  const slash = sourcePart.lastIndexOf('/');
  const relsPart = `${sourcePart.slice(0, slash + 1)}_rels/${sourcePart.slice(slash + 1)}.rels`;
  if (!pkg.has(relsPart)) return [];
  return collectXml<Relationship>(pkg, relsPart, {
    open(name, tag, emit) {
      if (name !== 'Relationship' || attribute(tag, 'TargetMode') === 'External') return;
      const target = resolveTarget(sourcePart, attribute(tag, 'Target') ?? '');
      emit({ id: attribute(tag, 'Id') ?? '', type: attribute(tag, 'Type') ?? '', target });
    },
  });
}

const ofType = (rels: Relationship[], type: string) => rels.find((r) => r.type.endsWith(`/${type}`))?.target;

async function readWorkbook(pkg: XlsxPackage): Promise<Workbook> {
  const part = ofType(await relationships(pkg, ''), 'officeDocument') ?? 'xl/workbook.xml';
  if (!pkg.has(part)) {
    throw new HazardNoticeError('E_INPUT_READ', `无法读取 Excel 文件“${pkg.file}”：文件已损坏或不是 xlsx 格式（缺少工作簿“${part}”）`, {
      file: pkg.file,
    });
  }
  const rels = await relationships(pkg, part);
  const target = new Map(rels.map((r) => [r.id, r.target]));
  let date1904 = false;
  const sheets = await collectXml<Workbook['sheets'][number]>(pkg, part, {
    open(name, tag, emit) {
      if (name === 'workbookPr') date1904 = ['1', 'true'].includes(attribute(tag, 'date1904') ?? '');
      if (name === 'sheet') emit({ name: attribute(tag, 'name') ?? '', part: target.get(attribute(tag, 'id') ?? '') });
    },
  });
  return { sheets, date1904, sharedStrings: ofType(rels, 'sharedStrings'), styles: ofType(rels, 'styles') };
}

/** For each cell style (cellXfs index): does its number format show a date? */
async function readDateStyles(pkg: XlsxPackage, part: string | undefined): Promise<boolean[]> {
  if (part === undefined || !pkg.has(part)) return [];
  const custom = new Map<number, string>();
  let inCellXfs = false;
  const formats = await collectXml<number>(pkg, part, {
    open(name, tag, emit) {
      if (name === 'numFmt') custom.set(Number(attribute(tag, 'numFmtId')), attribute(tag, 'formatCode') ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) emit(Number(attribute(tag, 'numFmtId') ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return formats.map((id) => (custom.has(id) ? isDateFormat(custom.get(id)!) : BUILTIN_DATE_FORMATS.has(id)));
}

/**
 * Collects the text of string items (`<si>` in sharedStrings, `<is>` in a cell): the `<t>` elements, plain or in
 * rich-text runs, without phonetic runs (`<rPh>`).
 */
class StringItemText {
  private text: string | undefined;
  private inT = false;
  private phonetic = 0;

  start(): void {
    this.text = '';
  }

  get active(): boolean {
    return this.text !== undefined;
  }

  open(name: string): void {
    if (name === 'rPh') this.phonetic++;
    else if (name === 't' && this.phonetic === 0) this.inT = true;
  }

  close(name: string): void {
    if (name === 'rPh') this.phonetic--;
    else if (name === 't') this.inT = false;
  }

  add(text: string): void {
    if (this.inT) this.text += text;
  }

  finish(): string {
    const text = unescapeXstring(this.text ?? '');
    this.text = undefined;
    return text;
  }
}

async function readSharedStrings(pkg: XlsxPackage, part: string | undefined): Promise<string[]> {
  if (part === undefined || !pkg.has(part)) return [];
  const item = new StringItemText();
  return collectXml<string>(pkg, part, {
    open(name) {
      if (name === 'si') item.start();
      else if (item.active) item.open(name);
    },
    close(name, emit) {
      if (name === 'si') emit(item.finish());
      else if (item.active) item.close(name);
    },
    text: (t) => item.add(t),
  });
}

/** Column index (0-based) of a cell reference such as "AB12". */
function columnOf(ref: string): number | undefined {
  const m = /^([A-Z]{1,3})\d+$/i.exec(ref);
  if (!m) return undefined;
  let n = 0;
  for (const ch of m[1].toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n - 1;
}

interface RawCell {
  ref: string;
  type: string; // t attribute: n (default), s, str, inlineStr, b, e, d
  style: number;
  value: string | undefined; // text of <v>
  inline: string | undefined; // text of <is>
}

interface SheetContext {
  pkg: XlsxPackage;
  sheet: string;
  sharedStrings: string[];
  dateStyles: boolean[];
  date1904: boolean;
}

const text = (t: string): Cell => ({ text: t, numeric: false });

/** A cell as text: numbers keep up to 15 significant digits, as Excel shows them; dates as YYYY-MM-DD. */
function cellValue(c: RawCell, ctx: SheetContext): Cell {
  const bad = (why: string) =>
    new HazardNoticeError(
      'E_INPUT_READ',
      `无法读取 Excel 文件“${ctx.pkg.file}”：工作表“${ctx.sheet}”的单元格 ${c.ref} ${why}，文件已损坏`,
      {
        file: ctx.pkg.file,
      },
    );
  if (c.type === 'inlineStr') return text(c.inline ?? c.value ?? '');
  const v = c.value;
  if (v === undefined) return text('');
  switch (c.type) {
    case 's': {
      const s = ctx.sharedStrings[Number(v)];
      if (s === undefined) throw bad(`引用了不存在的共享字符串（${v}）`);
      return text(s);
    }
    case 'str':
      return text(unescapeXstring(v));
    case 'e':
      return text(v);
    case 'b':
      return text(v === '' ? '' : Number(v) !== 0 ? 'TRUE' : 'FALSE');
    case 'd':
      return text(/^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : v);
    default: {
      if (v.trim() === '') return text('');
      const n = Number(v);
      if (Number.isNaN(n)) throw bad(`的数值“${v}”无效`);
      if (ctx.dateStyles[c.style]) return text(serialDateText(n, ctx.date1904));
      return { text: numberText(n), numeric: true };
    }
  }
}

/** Rows of a worksheet part, each emitted when its `</row>` is parsed. Formula cells give their cached result. */
function sheetHandler(ctx: SheetContext): XmlHandler<TableRow> {
  let row: TableRow | undefined;
  let lastRow = 0;
  let nextColumn = 0;
  let cell: RawCell | undefined;
  let cellColumn = 0;
  let inValue = false;
  const inline = new StringItemText();
  return {
    open(name, tag) {
      if (name === 'row') {
        const r = attribute(tag, 'r');
        lastRow = r !== undefined ? Number(r) : lastRow + 1;
        row = { row: lastRow, cells: [] };
        nextColumn = 0;
      } else if (name === 'c' && row) {
        const ref = attribute(tag, 'r') ?? '';
        const column = ref === '' ? nextColumn : columnOf(ref);
        if (column === undefined || column >= MAX_COLUMNS) {
          throw new HazardNoticeError(
            'E_INPUT_READ',
            `无法读取 Excel 文件“${ctx.pkg.file}”：工作表“${ctx.sheet}”中有无效的单元格位置“${ref}”，文件已损坏`,
            {
              file: ctx.pkg.file,
            },
          );
        }
        nextColumn = column + 1;
        const type = attribute(tag, 't') ?? 'n';
        const style = Number(attribute(tag, 's') ?? 0);
        cell = { ref: ref || `第 ${row.row} 行第 ${nextColumn} 列`, type, style, value: undefined, inline: undefined };
        cellColumn = column;
      } else if (cell) {
        if (name === 'v') {
          inValue = true;
          cell.value = '';
        } else if (name === 'is') inline.start();
        else if (inline.active) inline.open(name);
      }
    },
    close(name, emit) {
      if (name === 'row' && row) {
        for (let i = 0; i < row.cells.length; i++) row.cells[i] ??= text('');
        emit(row);
        row = undefined;
      } else if (name === 'c' && row && cell) {
        row.cells[cellColumn] = cellValue(cell, ctx);
        cell = undefined;
      } else if (cell) {
        if (name === 'v') inValue = false;
        else if (name === 'is') cell.inline = inline.finish();
        else if (inline.active) inline.close(name);
      }
    },
    text(t) {
      if (!cell) return;
      if (inValue) cell.value += t;
      else inline.add(t);
    },
  };
}

export interface XlsxReadOptions {
  /** Inflated bytes per chunk; tests set small sizes to split characters between chunks. */
  chunkSize?: number;
  /** A workbook up to this size is read into memory whole (default IN_MEMORY_MAX_BYTES; tests set 0 to stream). */
  inMemoryMaxBytes?: number;
}

/**
 * Streams the rows of one sheet (the first in workbook order unless `sheetName` is given).
 * Unknown sheet → E_INPUT_SHEET listing the sheets; a broken or oversized package → E_INPUT_READ.
 */
export async function* xlsxSheetRows(
  file: string,
  sheetName: string | undefined,
  onSheet: (name: string) => void,
  options: XlsxReadOptions = {},
): AsyncGenerator<TableRow> {
  const pkg = await XlsxPackage.open(file, options.inMemoryMaxBytes);
  try {
    const workbook = await readWorkbook(pkg);
    const sheet = sheetName === undefined ? workbook.sheets[0] : workbook.sheets.find((s) => s.name === sheetName);
    if (!sheet) {
      const names = workbook.sheets.map((s) => `“${s.name}”`).join('、');
      const what = sheetName === undefined ? '没有任何工作表' : `没有名为“${sheetName}”的工作表（共有：${names || '无'}）`;
      throw new HazardNoticeError('E_INPUT_SHEET', `Excel 文件“${file}”中${what}`, { file, sheet: sheetName });
    }
    if (sheet.part === undefined || !pkg.has(sheet.part)) {
      throw new HazardNoticeError('E_INPUT_READ', `无法读取 Excel 文件“${file}”：文件已损坏（找不到工作表“${sheet.name}”的内容）`, {
        file,
      });
    }
    onSheet(sheet.name);
    const ctx: SheetContext = {
      pkg,
      sheet: sheet.name,
      dateStyles: await readDateStyles(pkg, workbook.styles),
      sharedStrings: await readSharedStrings(pkg, workbook.sharedStrings),
      date1904: workbook.date1904,
    };
    yield* parseXml(pkg, sheet.part, sheetHandler(ctx), { chunkSize: options.chunkSize });
  } finally {
    pkg.close();
  }
}
