// Round trip: every cell written (random GB2312, GBK, CJK Ext-A and astral text) comes back exactly, from xlsx
// (shared and inline strings) and CSV (UTF-8 ± BOM, GB18030), with chunk sizes that split characters.
// FUZZ_SECONDS=n (npm run fuzz) runs random cases for n seconds instead of the fixed seeds.

import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { collect, tempDir } from './fixtures/input/collect';
import { CSV_CHUNKS, firstDifference, GBK, GB2312, KINDS, makeCase, prng, XLSX_CHUNKS } from './fixtures/input/roundtrip';

const FUZZ_SECONDS = Number(process.env.FUZZ_SECONDS ?? 0);

let dir: string;
beforeAll(() => {
  dir = tempDir('roundtrip');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

if (FUZZ_SECONDS > 0) {
  test(`fuzz for ${FUZZ_SECONDS} s`, async () => {
    const base = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const rnd = prng(base);
    const deadline = Date.now() + FUZZ_SECONDS * 1000;
    const counts: Record<string, number> = {};
    let cells = 0;
    let n = 0;
    for (; Date.now() < deadline; n++) {
      const kind = KINDS[n % KINDS.length];
      const seed = (base + n) >>> 0;
      const chunkSize = kind.startsWith('xlsx') ? pick(XLSX_CHUNKS) : pick(CSV_CHUNKS);
      const size = { rows: 1 + Math.floor(rnd() * (chunkSize < 64 ? 60 : 600)), columns: 1 + Math.floor(rnd() * 10), chunkSize };
      const c = await makeCase(kind, seed, dir, size);
      const diff = await firstDifference(c);
      if (diff) throw new Error(`${c.kind}, seed ${seed}, ${size.rows} × ${size.columns} (FUZZ_SEED=${base}, case ${n}): ${diff}`);
      counts[kind] = (counts[kind] ?? 0) + 1;
      cells += size.rows * size.columns;
      for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
    }
    console.log(`fuzz: FUZZ_SEED=${base}, ${n} cases, ${cells} cells, ${FUZZ_SECONDS} s, 0 failures; ${JSON.stringify(counts)}`);

    function pick(sizes: readonly number[]): number {
      return sizes[Math.floor(rnd() * sizes.length)];
    }
  });
} else {
  // xlsx: 250 × 8 = 2,000 strings a case, some over a thousand characters: each part spans thousands of chunks.
  const cases = [
    ['xlsx-shared', 64, 250],
    ['xlsx-inline', 67, 250],
    ['csv-utf8', 64, 150],
    ['csv-utf8-bom', 65, 150],
    ['csv-gb18030', 1000, 150],
    ['csv-utf8', 1, 4],
    ['csv-gb18030', 5, 10],
  ] as const;
  test.each(cases)('%s, chunks of %i bytes, %i rows: every cell comes back exactly', async (kind, chunkSize, rows) => {
    const c = await makeCase(kind, 1, dir, { rows, columns: 8, chunkSize });
    expect(await firstDifference(c)).toBeUndefined();
  });
}

test('issue 8: a 400-row workbook of names like 鹿寨县昇兴147号制造有限公司, written by exceljs, reads back exactly', async () => {
  const rnd = prng(8);
  const counties = ['鹿寨县', '柳城县', '融安县', '融水苗族自治县', '三江侗族自治县', '柳江区', '柳北区'];
  const rare = ['昇', '堃', '喆', '犇', '镕', '珺', ...GBK.slice(0, 200)];
  const char = (pool: readonly string[]) => pool[Math.floor(rnd() * pool.length)];
  const rows = Array.from({ length: 400 }, (_, i) => {
    const county = char(counties);
    const name = `${county}${char(rare)}${char(GB2312)}${i + 1}号制造有限公司`;
    return [
      name,
      county,
      `${county}${char(GB2312)}${char(rare)}镇工业园区${char(GB2312)}${char(GB2312)}路${i + 1}号`,
      'C3311 金属结构制造',
      '噪声、电焊烟尘',
    ];
  });
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.addRow(['单位名称', '区县', '地址', '行业', '危害因素']);
  for (const row of rows) ws.addRow(row);
  const file = path.join(dir, 'issue-8.xlsx');
  await wb.xlsx.writeFile(file);
  const { records, errors } = await collect(file);
  expect(errors).toEqual([]);
  expect(records.map((r) => [r.name, r.address])).toEqual(rows.map((r) => [r[0], r[2]]));
});
