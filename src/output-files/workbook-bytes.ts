// An exceljs workbook as bytes that depend only on its content and a date: exceljs stamps the zip entries and the
// document properties with the current time, so the properties get the date and the parts are zipped again with it.

import type ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { deflatePart, zipDeterministic } from '../render/docx/package-zip';

export async function workbookBytes(workbook: ExcelJS.Workbook, date: string): Promise<Uint8Array> {
  const at = new Date(`${date}T00:00:00Z`);
  workbook.creator = 'hazard-notice';
  workbook.created = at;
  workbook.modified = at;
  const packed = new Uint8Array(await workbook.xlsx.writeBuffer());
  const files = Object.entries(unzipSync(packed)).filter(([name]) => !name.endsWith('/'));
  return zipDeterministic(Object.fromEntries(files.map(([name, bytes]) => [name, deflatePart(bytes)])), date);
}
