// An exceljs workbook as reproducible bytes: exceljs stamps the document properties and every zip entry with the
// current time, so the properties get the given date and the parts are zipped again with it as the entry date.

import type ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { deflatePart, zipDeterministic } from '../render/docx/package-zip';

/** The workbook's .xlsx bytes; same workbook and date (YYYY-MM-DD) → same bytes. */
export async function xlsxBytes(workbook: ExcelJS.Workbook, date: string): Promise<Uint8Array> {
  const at = new Date(`${date}T00:00:00Z`);
  workbook.creator = 'hazard-notice';
  workbook.created = at;
  workbook.modified = at;
  const packed = new Uint8Array(await workbook.xlsx.writeBuffer());
  const files = Object.entries(unzipSync(packed)).filter(([name]) => !name.endsWith('/'));
  return zipDeterministic(Object.fromEntries(files.map(([name, bytes]) => [name, deflatePart(bytes)])), date);
}
