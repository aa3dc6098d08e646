// U+FFFD at the reader → record boundary: from every reader the row is rejected as E_INPUT_UNDECODABLE
// (not E_GLYPH_MISSING later), naming file, row and column; through the batch it lands in rejects.csv.

import fs from 'node:fs';
import path from 'node:path';
import { batch, HEADER, MAIN_ROWS, readCsvFile, tempDir } from './fixtures/batch/harness';
import { collect, scratchFolder } from './fixtures/input/collect';

const scratch = scratchFolder('undecodable');

test('JSON: a \\ufffd escape in a value', async () => {
  const file = scratch.write(
    'fffd.json',
    '[\n {"单位名称": "柳州\\ufffd厂", "区县": "柳江区"},\n {"单位名称": "柳州乙厂", "区县": "柳江区"}\n]\n',
  );
  const { records, errors } = await collect(file);
  expect(records.map((r) => r.name)).toEqual(['柳州乙厂']);
  expect(errors).toEqual([
    {
      code: 'E_INPUT_UNDECODABLE',
      source: { file, row: 1 },
      column: '单位名称',
      value: '柳州\uFFFD厂',
      message: expect.stringContaining(`${file} 第 1 项（第 2 行）“单位名称”列（值：柳州\uFFFD厂）：文件本身在这里含有无法解码的字符`),
    },
  ]);
});

test('YAML: U+FFFD typed into a value', async () => {
  const file = scratch.write('fffd.yaml', '- 单位名称: 柳州甲厂\n  区县: 柳江\uFFFD区\n- 单位名称: 柳州乙厂\n  区县: 柳江区\n');
  const { records, errors } = await collect(file);
  expect(records.map((r) => r.name)).toEqual(['柳州乙厂']);
  expect(errors.map((e) => [e.code, e.source.row, e.column, e.value])).toEqual([['E_INPUT_UNDECODABLE', 1, '区县', '柳江\uFFFD区']]);
});

test('batch: rows with U+FFFD or undecodable bytes go to rejects.csv, the good rows are made', async () => {
  const dir = tempDir('undecodable');
  const csv = (row: string[]) => Buffer.from(`${row.join(',')}\n`);
  const gbkRow = Buffer.concat([Buffer.from([0xc1, 0xf8, 0xd6, 0xdd]), csv(['某厂', '', 'C3311', '城中区', '', '', '噪声'])]); // 柳州 in GBK
  const file = path.join(dir, 'employers.csv');
  const fffdRow = csv(['柳州\uFFFD厂', '', 'C3311', '城中区', '', '', '噪声']);
  fs.writeFileSync(file, Buffer.concat([csv(HEADER), csv(MAIN_ROWS[0]), fffdRow, gbkRow, csv(MAIN_ROWS[1])]));
  const out = path.join(dir, 'out');
  const summary = await batch(file, out, { dryRun: true });
  expect([summary.rowsRead, summary.lettersMade, summary.rowsRejected]).toEqual([4, 2, 2]);
  const rows = readCsvFile(path.join(out, 'rejects.csv')).rows.slice(1);
  expect(rows.map((r) => r.slice(0, 6))).toEqual([
    [file, '', '3', '单位名称', '柳州\uFFFD厂', 'E_INPUT_UNDECODABLE'],
    [file, '', '4', '单位名称', '\uFFFD\uFFFD\uFFFD\uFFFD某厂', 'E_INPUT_UNDECODABLE'],
  ]);
  for (const r of rows) {
    expect(r[6]).toContain(`${file} 第 ${r[2]} 行“单位名称”列`);
    expect(r[6]).toContain('文件本身在这里含有无法解码的字符');
    expect(r[6]).not.toContain('无字形'); // the missing-glyph message
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
