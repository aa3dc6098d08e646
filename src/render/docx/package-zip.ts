// Zips a .docx so its bytes depend only on its parts: fixed entry order and a fixed entry date
// (docx's Packer would stamp every entry with the current time).
import { zipSync, type Zippable } from 'fflate';

/** Parts first in this order (the OPC convention: content types, then package rels, then the main part). */
const LEADING_PARTS = ['[Content_Types].xml', '_rels/.rels', 'word/document.xml'];

function partOrder(a: string, b: string): number {
  const ia = LEADING_PARTS.indexOf(a);
  const ib = LEADING_PARTS.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? LEADING_PARTS.length : ia) - (ib === -1 ? LEADING_PARTS.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `entryDate` (YYYY-MM-DD) at 00:00 is every entry's modification time. DOS times carry no zone and fflate
 * reads the local fields of the Date, so it is built from local components: same bytes in every time zone.
 */
export function zipDeterministic(parts: Record<string, Uint8Array>, entryDate: string): Uint8Array {
  const [year, month, day] = entryDate.split('-').map(Number);
  const mtime = new Date(year, month - 1, day);
  const entries: Zippable = {};
  for (const path of Object.keys(parts).sort(partOrder)) entries[path] = [parts[path], { mtime, level: 6 }];
  return zipSync(entries);
}
