// poppler-utils helpers for tests, run under an EMPTY fontconfig (no font directories), so a broken
// embedded font cannot be masked by a font installed on the machine.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';

let env: NodeJS.ProcessEnv | undefined;

/** Environment with FONTCONFIG_FILE pointing at a fonts.conf that lists no font directories. */
export function emptyFontconfigEnv(): NodeJS.ProcessEnv {
  if (!env) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-fontconfig-'));
    const conf = path.join(dir, 'fonts.conf');
    fs.writeFileSync(
      conf,
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n` +
        `<fontconfig><cachedir>${dir}/cache</cachedir></fontconfig>\n`,
    );
    env = { ...process.env, FONTCONFIG_FILE: conf, FONTCONFIG_PATH: dir, HOME: dir };
  }
  return env;
}

function withPdfFile<T>(pdf: Uint8Array, fn: (file: string, dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-pdf-'));
  const file = path.join(dir, 'in.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return fn(file, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { env: emptyFontconfigEnv(), encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** pdftotext -layout of every page; pages separated by form feeds. */
export function pdfText(pdf: Uint8Array, opts: { layout?: boolean } = {}): string {
  return withPdfFile(pdf, (file) => run('pdftotext', [...(opts.layout === false ? [] : ['-layout']), '-enc', 'UTF-8', file, '-']));
}

export interface PdfFontRow {
  name: string;
  type: string;
  encoding: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** pdffonts rows. */
export function pdfFonts(pdf: Uint8Array): PdfFontRow[] {
  const out = withPdfFile(pdf, (file) => run('pdffonts', [file]));
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m =
        /^(\S+)\s+(.+?)\s+(Identity-H|Custom|Standard|WinAnsi|MacRoman|Builtin)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(l);
      if (!m) throw new Error(`pdffonts: unexpected row: ${l}`);
      return { name: m[1], type: m[2], encoding: m[3], embedded: m[4] === 'yes', subset: m[5] === 'yes', unicode: m[6] === 'yes' };
    });
}

/** pdfinfo key/value pairs. */
export function pdfInfo(pdf: Uint8Array): Record<string, string> {
  const out = withPdfFile(pdf, (file) => run('pdfinfo', ['-isodates', file]));
  const info: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) info[m[1].trim()] = m[2].trim();
  }
  return info;
}

/** Renders one page (1-based) as an 8-bit grayscale PNG; returns PNG bytes. Poppler's stderr is returned too. */
export function renderPng(pdf: Uint8Array, dpi: number, page = 1): { png: Buffer; stderr: string } {
  return withPdfFile(pdf, (file, dir) => {
    const out = path.join(dir, 'page');
    const res = spawnSync(
      'pdftoppm',
      ['-r', String(dpi), '-gray', '-png', '-f', String(page), '-l', String(page), '-singlefile', file, out],
      { env: emptyFontconfigEnv(), encoding: 'utf8' },
    );
    if (res.status !== 0) throw new Error(`pdftoppm failed: ${res.stderr}`);
    return { png: fs.readFileSync(`${out}.png`), stderr: res.stderr };
  });
}

export interface Gray {
  width: number;
  height: number;
  /** One byte per pixel, 0 = black. */
  data: Uint8Array;
}

export function decodeGray(png: Buffer): Gray {
  const img = PNG.sync.read(png);
  const data = new Uint8Array(img.width * img.height);
  for (let i = 0; i < data.length; i++) data[i] = img.data[i * 4];
  return { width: img.width, height: img.height, data };
}

/** Pixels darker than `threshold` inside a box (pixel coordinates, half-open). */
export function inkIn(img: Gray, box: { x0: number; y0: number; x1: number; y1: number }, threshold = 128): number {
  let ink = 0;
  const [x0, x1, y0, y1] = [box.x0, box.x1, box.y0, box.y1].map(Math.round);
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(img.width, x1); x++) if (img.data[y * img.width + x] < threshold) ink++;
  }
  return ink;
}

/** Fraction of pixels whose gray levels differ by more than `tolerance` (sizes must match). */
export function diffFraction(a: Gray, b: Gray, tolerance = 64): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let differing = 0;
  for (let i = 0; i < a.data.length; i++) if (Math.abs(a.data[i] - b.data[i]) > tolerance) differing++;
  return differing / a.data.length;
}

/** The URLs of the PDF's link annotations (pdfinfo -url), in order, with their page numbers. */
export function pdfUrls(pdf: Uint8Array): { page: number; url: string }[] {
  const out = withPdfFile(pdf, (file) => run('pdfinfo', ['-url', file]));
  return out
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = /^\s*(\d+)\s+Annotation\s+(\S+)\s*$/.exec(l);
      if (!m) throw new Error(`pdfinfo -url: unexpected row: ${l}`);
      return { page: Number(m[1]), url: m[2] };
    });
}

/** The text poppler finds inside a box of page 1 (pt, PDF user space: from the bottom left), without white space. */
export function pdfTextInBox(pdf: Uint8Array, [x1, y1, x2, y2]: readonly number[], pageHeight: number): string {
  const box = ['-x', String(Math.round(x1)), '-y', String(Math.round(pageHeight - y2)), '-W', String(Math.round(x2 - x1))];
  return withPdfFile(pdf, (file) => run('pdftotext', ['-f', '1', '-l', '1', ...box, '-H', String(Math.round(y2 - y1)), file, '-'])).replace(
    /\s+/g,
    '',
  );
}
