import fs from 'node:fs';
import { parseCsv } from '../src/csv/parse';
jest.mock('../src/input/read-employers', () => ({
  readEmployers: async function* (file: string) {
    const rows = parseCsv(fs.readFileSync(file, 'utf8'));
    const h = rows[0].fields;
    const keys = ['name', 'uscc', 'industry', 'county', 'township', 'address', 'hazards'];
    for (const r of rows.slice(1)) {
      const rec: any = { source: { file, row: r.line }, columns: {} };
      h.forEach((col, i) => { const k = keys[i]; rec.columns[k] = col; const v = r.fields[i]?.trim(); if (v) rec[k] = k === 'hazards' ? v.split(/[、,]/) : v; });
      if (rec.uscc && rec.uscc.endsWith('8') ) { yield { kind: 'error', error: { code: 'E_USCC_CHECK', source: rec.source, column: '统一社会信用代码', value: rec.uscc, message: 'bad' } }; continue; }
      if (!rec.name) { yield { kind: 'error', error: { code: 'E_NAME_MISSING', source: rec.source, column: '单位名称', value: '', message: 'no name' } }; continue; }
      yield { kind: 'record', record: rec };
    }
  },
}), { virtual: true });
import { batch, MAIN_ROWS, tempDir, writeCsv, listOutputs } from './fixtures/batch/harness';
test('scratch', async () => {
  const dir = tempDir('scratch');
  const input = writeCsv(dir, 'e.csv', MAIN_ROWS);
  const t0 = Date.now();
  const s = await batch(input, dir + '/out', { jobs: 2 });
  console.log(Date.now() - t0, JSON.stringify(s, null, 1));
  console.log(listOutputs(dir + '/out').join('\n'));
  console.log(fs.readFileSync(dir + '/out/rejects.csv', 'utf8'));
  console.log(fs.readFileSync(dir + '/out/manifest.csv', 'utf8'));
});
