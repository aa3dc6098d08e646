// Output file names safe on Windows and Linux, and paths that cannot leave the output folder.

import path from 'node:path';
import { HazardNoticeError } from '../errors';

/** Longest name part (before the extension) in UTF-8 bytes; ext4 and NTFS allow 255. */
export const MAX_STEM_BYTES = 150;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001F\u007F]/g;
const RESERVED = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])$/i;

function truncateUtf8(s: string, maxBytes: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > maxBytes) break;
    bytes += n;
    out += ch;
  }
  return out;
}

/**
 * A file-name part made from free text: forbidden and control characters become _, no leading or
 * trailing dots/spaces, at most `maxBytes` UTF-8 bytes, never a Windows reserved device name.
 */
export function safeFileStem(text: string, maxBytes: number = MAX_STEM_BYTES): string {
  const cleaned = text.normalize('NFC').replace(FORBIDDEN, '_').replace(/\s+/g, ' ');
  const trim = (s: string) => s.replace(/^[. ]+|[. ]+$/g, '');
  let stem = trim(truncateUtf8(trim(cleaned), maxBytes));
  if (!stem) stem = '_';
  // Windows treats "NUL.txt" and "nul .pdf" as the device too: check the part before any dot.
  if (RESERVED.test(stem.split('.')[0].trim())) stem = `_${stem}`;
  return truncateUtf8(stem, maxBytes);
}

/** <序号>_<单位名称>.<ext>, the number zero-padded to `width` so names sort in route order. */
export function letterFileName(seq: number, employerName: string, ext: 'pdf' | 'docx', width: number): string {
  return `${safeFileStem(`${String(seq).padStart(width, '0')}_${employerName}`)}.${ext}`;
}

/** Joins `parts` under `root` and checks the result stays inside it (E_PATH_ESCAPE otherwise). */
export function pathInside(root: string, ...parts: string[]): string {
  const base = path.resolve(root);
  const full = path.resolve(base, ...parts);
  const rel = path.relative(base, full);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new HazardNoticeError('E_PATH_ESCAPE', `输出路径“${parts.join('/')}”不在输出目录“${base}”之内`, { root: base, parts });
  }
  return full;
}
