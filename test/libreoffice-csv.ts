// A workbook's sheets as LibreOffice Calc shows them: converted headless to one CSV per sheet (proof that the .xlsx
// opens in a second program, and of its formatted text).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Converts `file` with its own LibreOffice profile under `dir`; returns the CSV files (`<name>-<sheet>.csv`) by name. */
export function workbookAsCsv(file: string, dir: string): Record<string, string> {
  const out = path.join(dir, 'csv');
  // Filter options: comma, quote, UTF-8, from line 1, …, "as shown" = true, …, sheet -1 = every sheet to its own file.
  const result = spawnSync(
    'soffice',
    [
      `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`,
      '--headless',
      '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
      '--outdir',
      out,
      file,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) throw new Error(`soffice failed (${result.status}): ${result.stderr}`);
  return Object.fromEntries(fs.readdirSync(out).map((name) => [name, fs.readFileSync(path.join(out, name), 'utf8')]));
}
