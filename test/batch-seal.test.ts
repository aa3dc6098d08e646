// A bureau with a seal: pass 1 lays each letter out with the seal, as it will be made, so a letter that cannot be
// made with it (here: the seal and two QR codes beside the signature, E_QR_NO_ROOM) is refused before any number.

import fs from 'node:fs';
import path from 'node:path';
import { Register } from '../src/register/register';
import { sealPng } from './fixtures/docx/seal';
import { batch, MAIN_ROWS, readCsvFile, registerOf, tempDir, writeCsv } from './fixtures/batch/harness';

const root = path.join(__dirname, '..');

test('a letter that does not fit with its bureau’s seal is refused in pass 1, no number issued; other bureaus go on', async () => {
  const dir = tempDir('batch-seal');
  // The bundled config with a seal for 城中区.
  const config = path.join(dir, 'liuzhou.yaml');
  const text = fs.readFileSync(path.join(root, 'config', 'liuzhou.yaml'), 'utf8');
  fs.writeFileSync(config, text.replace('    prefix: 城中卫职告\n', '    prefix: 城中卫职告\n    seal: seal.png\n'));
  fs.writeFileSync(path.join(dir, 'seal.png'), sealPng());
  // The bundled template with a second QR code: two codes and a seal do not fit beside the signature block.
  const template = path.join(dir, 'template');
  fs.cpSync(path.join(root, 'templates', 'default'), template, { recursive: true });
  const settings = fs.readFileSync(path.join(template, 'template.yaml'), 'utf8');
  fs.writeFileSync(
    path.join(template, 'template.yaml'),
    settings.replace('    caption: 扫码申报\n', '    caption: 扫码申报\n  - url: http://wjw.liuzhou.gov.cn/\n    caption: 操作手册\n'),
  );
  const rows = MAIN_ROWS.filter((r) => ['城中区', '柳城县'].includes(r[3]));
  const input = writeCsv(dir, 'employers.csv', rows);
  const out = path.join(dir, 'out');
  const summary = await batch(input, out, { configFile: config, templateDir: template });

  const chengzhong = rows.filter((r) => r[3] === '城中区').length;
  expect(chengzhong).toBeGreaterThan(0);
  const rejects = readCsvFile(path.join(out, 'rejects.csv')).rows.slice(1);
  const noRoom = rejects.filter((r) => r.includes('E_QR_NO_ROOM'));
  expect(noRoom.length).toBeGreaterThanOrEqual(1);
  expect(summary.counties.map((c) => c.name)).not.toContain('城中区');
  const register = await Register.open(registerOf(out));
  try {
    expect((await register.search({ county: '城中区' })).total).toBe(0);
    expect((await register.search({})).total).toBe(summary.lettersMade);
  } finally {
    await register.close();
  }
});
