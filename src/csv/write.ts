// CSV writing for spreadsheets: RFC 4180 quoting, CRLF, UTF-8 BOM, formula neutralisation.

/** Excel needs the BOM to open UTF-8 CSV as UTF-8. */
export const CSV_BOM = '\uFEFF';

// A cell starting with one of these is run as a formula by Excel/WPS/LibreOffice (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: formula starts neutralised with a leading ', quoted when it holds , " CR or LF. */
export function csvCell(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, CRLF-terminated. */
export function csvRow(values: readonly (string | number | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
