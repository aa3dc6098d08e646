// Timing (not a test): DOCX letters per second on one core, and LibreOffice's headless docx→pdf rate for the
// same letters in one 50-file call, side by side. Run from the package root after compiling, e.g.
//   npx tsc -p tsconfig.json --outDir /tmp/hn-bench && node /tmp/hn-bench/bench/docx.js
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderDocx } from '../src/render/docx/render-docx';
import { loadFontSet } from '../src/render/layout/fonts';
import type { LetterDocument } from '../src/letter/model';
import { defaultLayout, sampleLetterDocument } from '../test/fixtures/sample-letter-document';

const LETTERS = 1000;
const LIBREOFFICE_BATCH = 50;
const HAZARDS = ['木粉尘', '苯', '噪声', '矽尘', '甲苯', '高温', '一氧化碳', '电焊烟尘'];
const DISEASES = ['苯中毒', '职业性噪声聋', '矽肺', '甲苯中毒', '中暑', '一氧化碳中毒', '电焊工尘肺'];

function letter(i: number): LetterDocument {
  const n = 1 + (i % HAZARDS.length);
  return sampleLetterDocument({
    employer: `柳州市第${i + 1}号家具制造有限公司`,
    hazards: HAZARDS.slice(0, n),
    diseases: DISEASES.slice(0, Math.min(n, DISEASES.length)),
  });
}

async function main(): Promise<void> {
  const fonts = loadFontSet(path.join(process.cwd(), 'fonts'), defaultLayout);
  const docs = Array.from({ length: LETTERS }, (_, i) => letter(i));
  for (const doc of docs.slice(0, 20)) await renderDocx(doc, { fonts }); // warm-up (JIT, font caches)

  const outputs: Uint8Array[] = [];
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (const doc of docs) outputs.push(await renderDocx(doc, { fonts }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const bytes = outputs.reduce((s, o) => s + o.length, 0);
  console.log(
    `DOCX: ${LETTERS} letters in ${seconds.toFixed(2)} s = ${(LETTERS / seconds).toFixed(0)} letters/s ` +
      `(${(LETTERS / cpuSeconds).toFixed(0)} per CPU second), ${(bytes / LETTERS / 1024).toFixed(1)} KiB each`,
  );

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-bench-docx-'));
  try {
    const files = outputs.slice(0, LIBREOFFICE_BATCH).map((bytes, i) => {
      const file = path.join(dir, `letter-${i + 1}.docx`);
      fs.writeFileSync(file, bytes);
      return file;
    });
    const args = [
      `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
      '--headless',
      '--convert-to',
      'pdf',
      '--outdir',
      path.join(dir, 'pdf'),
    ];
    const env = { ...process.env, FONTCONFIG_FILE: path.join(process.cwd(), 'fonts', 'fontconfig', 'fonts.conf') };
    spawnSync('soffice', [...args, files[0]], { env, timeout: 120_000 }); // first start creates the profile
    const loStart = process.hrtime.bigint();
    const result = spawnSync('soffice', [...args, ...files], { env, timeout: 600_000 });
    const loSeconds = Number(process.hrtime.bigint() - loStart) / 1e9;
    if (result.error || result.status !== 0) {
      console.log(`LibreOffice: not measured (${result.error?.message ?? `exit ${result.status}`})`);
    } else {
      const rate = LIBREOFFICE_BATCH / loSeconds;
      console.log(`LibreOffice docx→pdf: ${LIBREOFFICE_BATCH} letters in ${loSeconds.toFixed(2)} s = ${rate.toFixed(1)} letters/s`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
