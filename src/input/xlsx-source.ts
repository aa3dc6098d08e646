// xlsx rows via exceljs's streaming reader: one sheet (the first, or --sheet), values as plain text.

import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { HazardNoticeError } from '../errors';
import type { Cell } from './record';
import type { TableRow } from './table';

/** A cell value as text; numbers keep up to 15 significant digits, as Excel shows them. */
export function cellFromValue(value: ExcelJS.CellValue | undefined): Cell {
  if (value === null || value === undefined) return { text: '', numeric: false };
  if (typeof value === 'string') return { text: value, numeric: false };
  if (typeof value === 'number') return { text: numberText(value), numeric: true };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', numeric: false };
  if (value instanceof Date) return { text: Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10), numeric: false };
  if ('richText' in value) return { text: value.richText.map((r) => r.text ?? '').join(''), numeric: false };
  if ('formula' in value || 'sharedFormula' in value) return cellFromValue(value.result as ExcelJS.CellValue | undefined);
  if ('error' in value) return { text: value.error, numeric: false };
  if ('text' in value) return cellFromValue(value.text as ExcelJS.CellValue);
  return { text: '', numeric: false };
}

function numberText(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(15)));
}

type Reader = ExcelJS.stream.xlsx.WorkbookReader & { model?: { sheets?: { name: string }[] } };
type SheetReader = ExcelJS.stream.xlsx.WorksheetReader & { name: string };

function unreadable(file: string, e: unknown): HazardNoticeError {
  return new HazardNoticeError('E_INPUT_READ', `无法读取 Excel 文件“${file}”：文件已损坏或不是 xlsx 格式（${(e as Error).message}）`, { file });
}

/**
 * Streams the rows of one sheet (the first in workbook order unless `sheetName` is given).
 * Unknown sheet → E_INPUT_SHEET listing the sheets.
 */
export async function* xlsxSheetRows(file: string, sheetName: string | undefined, onSheet: (name: string) => void): AsyncGenerator<TableRow> {
  const input = fs.createReadStream(file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache', // number formats tell dates from numbers
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as Reader;
  let found = false;
  try {
    for await (const sheet of reader as unknown as AsyncIterable<SheetReader>) {
      const wanted = sheetName ?? reader.model?.sheets?.[0]?.name ?? sheet.name;
      if (sheet.name !== wanted) continue;
      found = true;
      onSheet(sheet.name);
      for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const cells: Cell[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          cells[col - 1] = cellFromValue(cell.value);
        });
        for (let i = 0; i < cells.length; i++) cells[i] ??= { text: '', numeric: false };
        yield { row: row.number, cells };
      }
      break;
    }
  } catch (e) {
    throw e instanceof HazardNoticeError ? e : unreadable(file, e);
  } finally {
    input.destroy();
  }
  if (!found) {
    const names = (reader.model?.sheets ?? []).map((s) => `“${s.name}”`).join('、');
    const what = sheetName === undefined ? '没有任何工作表' : `没有名为“${sheetName}”的工作表（共有：${names || '无'}）`;
    throw new HazardNoticeError('E_INPUT_SHEET', `Excel 文件“${file}”中${what}`, { file, sheet: sheetName });
  }
}
