// Per-letter PDF timing (not a test): letters/s with full vs narrowed fonts, where the ms go, bytes.
// Run: npx tsc -p tsconfig.json --outDir .bench/pdf-build; node .bench/pdf-build/bench/pdf.js [letters]  (default 300).
// CPU ms/letter is the steadier figure on a shared machine; wall time includes waiting for other processes.

import { performance } from 'node:perf_hooks';
import { defaultLayout, sampleLetterDocument } from '../test/fixtures/sample-letter-document';
import type { LetterDocument } from '../src/letter/model';
import { defaultFontsDir, loadFontSet, narrowFontSet, type FontFace, type FontSet } from '../src/render/layout/fonts';
import { layoutDocument } from '../src/render/layout/layout';
import { pdfFace } from '../src/render/pdf/pdf-face';
import { renderPdf } from '../src/render/pdf/render-pdf';
import { documentText } from '../src/render/render-letter';

const EMPLOYERS = [
  '柳州市融昇家具制造有限公司',
  '柳城县喆犇建材有限责任公司',
  '融安县珺镕金属制品厂',
  '鹿寨县堃达化工有限公司',
  '柳州市鱼峰区木材加工厂',
];
const HAZARDS = [
  ['木粉尘', '苯', '噪声'],
  ['矽尘', '噪声'],
  ['电焊烟尘', '锰及其化合物', '紫外辐射', '噪声'],
  ['氨', '硫化氢', '高温'],
];
const DISEASES = [
  ['苯中毒', '苯所致白血病', '职业性噪声聋'],
  ['矽肺', '职业性噪声聋'],
  ['电焊工尘肺', '锰及其化合物中毒', '电光性眼炎'],
  ['氨中毒', '硫化氢中毒', '中暑'],
];

function letters(n: number): LetterDocument[] {
  return Array.from({ length: n }, (_, i) =>
    sampleLetterDocument({
      employer: `${EMPLOYERS[i % EMPLOYERS.length]}第${i + 1}分厂`,
      hazards: HAZARDS[i % 4],
      diseases: DISEASES[i % 4],
    }),
  );
}

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function perLetter(label: string, docs: LetterDocument[], fonts: FontSet): Promise<void> {
  renderPdf([docs[0]], fonts); // warm-up: lazy font table decoding
  const layoutMs: number[] = [];
  const totalMs: number[] = [];
  let bytes = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const doc of docs) {
    const a = performance.now();
    layoutDocument(doc, fonts);
    const b = performance.now();
    bytes += renderPdf([doc], fonts).length;
    totalMs.push(performance.now() - b);
    layoutMs.push(b - a);
  }
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / docs.length;
  console.log(
    `${label}: ${docs.length} letters in ${s.toFixed(2)} s wall = ${(docs.length / s).toFixed(1)} letters/s, ` +
      `${cpuMs.toFixed(1)} ms CPU/letter ` +
      `(both incl. a separate layout pass); renderPdf median ${median(totalMs).toFixed(2)} ms wall, ` +
      `layout alone ${median(layoutMs).toFixed(2)} ms; ` +
      `${Math.round(bytes / docs.length)} bytes/PDF`,
  );
}

/** CPU ms per call of `fn`, averaged over `n` calls. */
async function cpuMs(n: number, fn: () => unknown): Promise<number> {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
}

/**
 * Where one letter's milliseconds go: layout, hb-subset of the used faces, the rest (content, widths, ToUnicode,
 * deflate, serialisation).
 */
async function breakdown(label: string, doc: LetterDocument, fonts: FontSet): Promise<void> {
  const n = 50;
  const total = await cpuMs(n, () => renderPdf([doc], fonts));
  const layout = await cpuMs(n, () => layoutDocument(doc, fonts));
  const faces = new Map<FontFace, Set<number>>();
  for (const line of layoutDocument(doc, fonts).lines)
    for (const c of line.chars) faces.set(c.face, (faces.get(c.face) ?? new Set()).add(c.char.codePointAt(0)!));
  const subset = await cpuMs(n, () => {
    for (const [face, codePoints] of faces) pdfFace(face).program(codePoints);
  });
  console.log(
    `${label} CPU ms/letter: total ${total.toFixed(2)} = layout ${layout.toFixed(2)} + hb-subset ${subset.toFixed(2)} ` +
      `+ rest ${(total - layout - subset).toFixed(2)} (content, widths, ToUnicode, deflate, serialisation)`,
  );
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300);
  const docs = letters(n);
  const t0 = performance.now();
  const full = loadFontSet(defaultFontsDir(), defaultLayout);
  const t1 = performance.now();
  const chars = documentText(docs);
  const narrow = narrowFontSet(full, chars);
  const t2 = performance.now();
  const count = new Set([...chars.body, ...chars.title]).size;
  console.log(`loadFontSet ${(t1 - t0).toFixed(1)} ms; narrowFontSet to ${count} chars ${(t2 - t1).toFixed(1)} ms`);
  await perLetter('full fonts    ', docs, full);
  await perLetter('narrowed fonts', docs, narrow);
  await breakdown('full fonts    ', docs[0], full);
  await breakdown('narrowed fonts', docs[0], narrow);
  const m0 = performance.now();
  const book = renderPdf(docs, narrow);
  console.log(`merged book of ${n} pages (narrowed): ${(performance.now() - m0).toFixed(0)} ms, ${book.length} bytes`);
}

void main();
