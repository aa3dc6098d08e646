// xlsx input: first sheet or --sheet, title row, numeric USCC, rich text, formulas, dates; the package reader's
// cell types, number formats, broken packages and zip bomb guard; U+FFFD in a cell.

import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { xlsxSheetRows } from '../src/input/xlsx-source';
import { collect, readFailure, tempDir } from './fixtures/input/collect';
import type { HazardNoticeError } from '../src/errors';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = tempDir('xlsx');
  file = path.join(dir, '柳城县名单.xlsx');
  const wb = new ExcelJS.Workbook();
  const first = wb.addWorksheet('第一批');
  first.addRow(['柳城县未申报用人单位名单']);
  first.mergeCells('A1:F1');
  first.addRow([]);
  first.addRow(['序号', '用人单位名称', '统一社会信用代码', '行业代码', '所在区县', '在册职工总数', '主要危害因素', '申报日期']);
  first.addRow([1, '柳城县永盛水泥有限公司', '91450222MA5K0A1B8E', 'C3011', '柳城县', 120, '矽尘、噪声', new Date(Date.UTC(2026, 10, 1))]);
  first.addRow([
    2,
    { richText: [{ text: '柳城县', font: { bold: true } }, { text: '恒达木业厂' }] },
    914502220000000000,
    'C2110',
    '柳城县',
    { formula: 'B1*0+35', result: 35 },
    { formula: '"木粉尘"&"、噪声"', result: '木粉尘、噪声' },
  ]);
  first.addRow([3, '柳城县某砖厂', '91450222MA5K004770', { text: 'C3031', hyperlink: 'https://example.org' }, '柳城县', '', '']);
  first.getCell('H4').numFmt = 'yyyy-mm-dd';
  const second = wb.addWorksheet('第二批');
  second.addRow(['企业名称', '社会信用代码', '区县']);
  second.addRow(['柳城县第二批某厂', '91450222MA5K0B2C3W', '柳城县']);
  await wb.xlsx.writeFile(file);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('first sheet: title row skipped, values as text, numeric USCC rejected', async () => {
  const { records, errors, headers, rows } = await collect(file);
  expect(headers[0]).toMatchObject({ row: 3, ignored: ['序号', '申报日期'] });
  expect(rows).toEqual([4, 5, 6]);
  expect(records[0]).toEqual({
    source: { file, row: 4, sheet: '第一批' },
    name: '柳城县永盛水泥有限公司',
    uscc: '91450222MA5K0A1B8E',
    industry: 'C3011',
    county: '柳城县',
    workers: '120',
    hazards: ['矽尘', '噪声'],
    columns: {
      name: '用人单位名称',
      uscc: '统一社会信用代码',
      industry: '行业代码',
      county: '所在区县',
      workers: '在册职工总数',
      hazards: '主要危害因素',
    },
  });
  expect(errors).toEqual([
    {
      code: 'E_USCC_EXCEL',
      source: { file, row: 5, sheet: '第一批' },
      column: '统一社会信用代码',
      value: '914502220000000000',
      message: expect.stringContaining(
        `${file}（工作表“第一批”） 第 5 行“统一社会信用代码”列（值：914502220000000000）：Excel 把这个代码存成了数字`,
      ),
    },
  ]);
  expect(errors[0].message).toContain('“文本”格式');
  expect(records[1]).toMatchObject({ source: { row: 6 }, name: '柳城县某砖厂', industry: 'C3031' }); // hyperlink cell → its text
});

test('rich text, formula results and dates become plain text', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.addRow(['单位名称', '区县', '劳动者人数', '危害因素', '地址']);
  ws.addRow([
    { richText: [{ text: '柳城县', font: { bold: true } }, { text: '恒达木业厂' }] },
    '柳城县',
    { formula: 'B1*0+35', result: 35 },
    { formula: '"木粉尘"&"、噪声"', result: '木粉尘、噪声' },
    new Date(Date.UTC(2026, 10, 1)),
  ]);
  ws.getCell('E2').numFmt = 'yyyy-mm-dd';
  const rich = path.join(dir, 'rich.xlsx');
  await wb.xlsx.writeFile(rich);
  const { records } = await collect(rich);
  expect(records[0]).toMatchObject({ name: '柳城县恒达木业厂', workers: '35', hazards: ['木粉尘', '噪声'], address: '2026-11-01' });
});

test('--sheet picks another sheet', async () => {
  const { records, headers } = await collect(file, { sheet: '第二批' });
  expect(headers[0].row).toBe(1);
  expect(records).toEqual([
    {
      source: { file, row: 2, sheet: '第二批' },
      name: '柳城县第二批某厂',
      uscc: '91450222MA5K0B2C3W',
      county: '柳城县',
      columns: { name: '企业名称', uscc: '社会信用代码', county: '区县' },
    },
  ]);
});

test('unknown --sheet lists the sheets', async () => {
  const e = await readFailure(file, { sheet: '第三批' });
  expect(e.code).toBe('E_INPUT_SHEET');
  expect(e.message).toBe(`Excel 文件“${file}”中没有名为“第三批”的工作表（共有：“第一批”、“第二批”）`);
});

test('a file that is not a zip', async () => {
  const broken = path.join(dir, 'broken.xlsx');
  fs.writeFileSync(broken, '单位名称,区县\n');
  expect(await readFailure(broken)).toMatchObject({ code: 'E_INPUT_READ', message: expect.stringContaining(broken) });
});

describe('the package reader', () => {
  const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const rel = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="${R}/${type}" Target="${target}"/>`;
  const PR = 'http://schemas.openxmlformats.org/package/2006/relationships';
  const rels = (...items: string[]) => `<Relationships xmlns="${PR}">${items.join('')}</Relationships>`;

  /** A package written part by part; sheet parts are named in reverse of workbook order, to prove order comes from the workbook. */
  function writePackage(name: string, sheets: { name: string; xml: string }[], extra: Record<string, string> = {}, pr = ''): string {
    const sheetList = sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rS${i}"/>`).join('');
    const sheetRels = sheets.map((_, i) => rel(`rS${i}`, 'worksheet', `/xl/worksheets/sheet${sheets.length - i}.xml`));
    const parts: Record<string, Uint8Array> = {
      '[Content_Types].xml': Buffer.from('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      '_rels/.rels': Buffer.from(rels(rel('rId1', 'officeDocument', 'xl/workbook.xml'))),
      'xl/workbook.xml': Buffer.from(`<workbook ${NS} xmlns:r="${R}">${pr}<sheets>${sheetList}</sheets></workbook>`),
      'xl/_rels/workbook.xml.rels': Buffer.from(
        rels(...sheetRels, rel('rSS', 'sharedStrings', 'sharedStrings.xml'), rel('rSt', 'styles', 'styles.xml')),
      ),
    };
    sheets.forEach((s, i) => (parts[`xl/worksheets/sheet${sheets.length - i}.xml`] = Buffer.from(s.xml)));
    for (const [part, xml] of Object.entries(extra)) parts[part] = Buffer.from(xml);
    const out = path.join(dir, name);
    fs.writeFileSync(out, zipSync(parts));
    return out;
  }

  async function rowsOf(xlsx: string, sheet?: string): Promise<{ row: number; cells: { text: string; numeric: boolean }[] }[]> {
    const out = [];
    for await (const row of xlsxSheetRows(xlsx, sheet, () => {})) out.push(row);
    return out;
  }

  const styles =
    `<styleSheet ${NS}><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/></numFmts>` +
    '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
    '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="31"/><xf numFmtId="176"/><xf numFmtId="4"/><xf numFmtId="14"/></cellXfs>' +
    '</styleSheet>';
  const sharedStrings =
    `<sst ${NS} count="3"><si><t>柳州_x000D_甲厂_x005F_x0041_</t></si>` +
    '<si><r><t>柳城县</t></r><r><rPr><b/></rPr><t xml:space="preserve">乙 厂</t></r><rPh sb="0" eb="1"><t>リュウジョウ</t></rPh></si>' +
    '<si><t/></si></sst>';

  test('cell types, number formats (zh-CN and custom dates), rich and phonetic text, escapes, cells without a reference', async () => {
    const sheet =
      `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
      '<x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="C2" t="s"><x:v>1</x:v></x:c><x:c r="D2" t="s"><x:v>2</x:v></x:c></x:row>' +
      '<x:row><x:c s="1"><x:v>46327</x:v></x:c><x:c s="2"><x:v>46327.75</x:v></x:c><x:c s="3"><x:v>1234.5678</x:v></x:c>' +
      '<x:c><x:v>0.1234567890123456789</x:v></x:c></x:row>' +
      '<x:row r="5"><x:c r="A5" t="b"><x:v>1</x:v></x:c><x:c r="B5" t="e"><x:v>#N/A</x:v></x:c>' +
      '<x:c r="C5" t="d"><x:v>2026-11-01T00:00:00</x:v></x:c>' +
      '<x:c r="D5" t="str"><x:f>A1&amp;"厂"</x:f><x:v>丙&lt;厂&gt;</x:v></x:c><x:c r="E5" t="b"><x:f>TRUE()</x:f><x:v>0</x:v></x:c>' +
      '<x:c r="F5" t="inlineStr"><x:is><x:r><x:t>丁</x:t></x:r><x:r><x:t>厂</x:t></x:r></x:is></x:c>' +
      '<x:c r="G5" s="4"><x:f>TODAY()</x:f><x:v>46327</x:v></x:c>' +
      '<x:c r="H5"><x:v>91450222000000000</x:v></x:c></x:row><x:row r="6"/></x:sheetData></x:worksheet>';
    const parts = { 'xl/sharedStrings.xml': sharedStrings, 'xl/styles.xml': styles };
    const xlsx = writePackage('types.xlsx', [{ name: '名单', xml: sheet }], parts);
    const shown = (c: { text: string; numeric: boolean }) => (c.numeric ? `#${c.text}` : c.text); // # marks a numeric cell
    const text = (rows: Awaited<ReturnType<typeof rowsOf>>) => rows.map((r) => [r.row, r.cells.map(shown)]);
    expect(text(await rowsOf(xlsx))).toEqual([
      [2, ['柳州\r甲厂_x0041_', '', '柳城县乙 厂', '']],
      [3, ['2026-11-01', '2026-11-01', '#1234.5678', '#0.123456789012346']],
      [5, ['TRUE', '#N/A', '2026-11-01', '丙<厂>', 'FALSE', '丁厂', '2026-11-01', '#91450222000000000']],
      [6, []],
    ]);
  });

  test('the 1904 date system', async () => {
    const sheet = `<worksheet ${NS}><sheetData><row r="1"><c r="A1" s="4"><v>44865</v></c></row></sheetData></worksheet>`;
    const xlsx = writePackage('1904.xlsx', [{ name: 'a', xml: sheet }], { 'xl/styles.xml': styles }, '<workbookPr date1904="1"/>');
    expect((await rowsOf(xlsx))[0].cells[0].text).toBe('2026-11-01');
  });

  test('sheets in workbook order, whatever their part names; --sheet by name', async () => {
    const cell = (v: string) => `<row r="1"><c r="A1" t="inlineStr"><is><t>${v}</t></is></c></row>`;
    const one = (v: string) => `<worksheet ${NS}><sheetData>${cell(v)}</sheetData></worksheet>`;
    const xlsx = writePackage('order.xlsx', [
      { name: '第一批', xml: one('一') },
      { name: '第二批', xml: one('二') },
    ]);
    expect((await rowsOf(xlsx))[0].cells[0].text).toBe('一');
    expect((await rowsOf(xlsx, '第二批'))[0].cells[0].text).toBe('二');
  });

  test('a broken package is E_INPUT_READ naming the file, never a crash', async () => {
    const sheet = (body: string) => `<worksheet ${NS}><sheetData>${body}</sheetData></worksheet>`;
    const cases = {
      'missing-string.xlsx': [sheet('<row r="1"><c r="A1" t="s"><v>7</v></c></row>'), '引用了不存在的共享字符串'],
      'malformed.xlsx': [sheet('<row r="1"><c r="A1"><v>1</v></row>'), 'sheet1.xml'],
      'bad-number.xlsx': [sheet('<row r="1"><c r="A1"><v>abc</v></c></row>'), '数值“abc”无效'],
      'bad-ref.xlsx': [sheet('<row r="1"><c r="XFE1"><v>1</v></c></row>'), '无效的单元格位置“XFE1”'],
    };
    for (const [name, [xml, why]] of Object.entries(cases)) {
      const xlsx = writePackage(name, [{ name: 'a', xml }], { 'xl/sharedStrings.xml': `<sst ${NS}/>` });
      const e = await readFailure(xlsx);
      expect({ name, code: e.code, message: e.message }).toEqual({ name, code: 'E_INPUT_READ', message: expect.stringContaining(why) });
      expect(e.message).toContain(xlsx);
    }
  });

  /** Rewrites the uncompressed size recorded for `part` in both its local header and its central directory entry. */
  function declareSize(xlsx: string, part: string, size: number): void {
    const zip = fs.readFileSync(xlsx);
    const name = Buffer.from(part);
    for (const [signature, nameAt, sizeAt] of [
      [0x04034b50, 30, 22],
      [0x02014b50, 46, 24],
    ]) {
      for (let at = zip.indexOf(name); at >= 0; at = zip.indexOf(name, at + 1)) {
        if (zip.readUInt32LE(at - nameAt) === signature) zip.writeUInt32LE(size, at - nameAt + sizeAt);
      }
    }
    fs.writeFileSync(xlsx, zip);
  }

  for (const [how, inMemoryMaxBytes] of [
    ['read into memory whole', undefined],
    ['streamed from the file', 0],
  ] as const) {
    test(`zip bomb guard (${how}): a part declaring more than the limits, or inflating to more than it declares, is refused`, async () => {
      const sheet = `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`;
      const make = (name: string) =>
        writePackage(`${inMemoryMaxBytes ?? 'm'}-${name}`, [{ name: 'a', xml: sheet }], { 'xl/sharedStrings.xml': sharedStrings });
      const failure = async (xlsx: string) => {
        try {
          for await (const row of xlsxSheetRows(xlsx, undefined, () => undefined, { inMemoryMaxBytes })) void row;
        } catch (e) {
          return e as HazardNoticeError;
        }
        throw new Error(`${xlsx} was read`);
      };
      const huge = make('huge-sheet.xlsx');
      declareSize(huge, 'xl/worksheets/sheet1.xml', 2 ** 32 - 1);
      expect(await failure(huge)).toMatchObject({
        code: 'E_INPUT_READ',
        message: expect.stringContaining('解压后过大（所读各部分合计上限 1 GiB'),
      });
      const strings = make('huge-strings.xlsx');
      declareSize(strings, 'xl/sharedStrings.xml', 300 * 2 ** 20);
      expect(await failure(strings)).toMatchObject({ code: 'E_INPUT_READ', message: expect.stringContaining('上限 256 MiB') });
      for (const [part, size] of [
        ['xl/worksheets/sheet1.xml', 20],
        ['xl/sharedStrings.xml', 0],
        ['xl/workbook.xml', 100],
        ['xl/worksheets/sheet1.xml', 5000], // less than declared
      ] as const) {
        const lying = make(`lying-${size}.xlsx`);
        declareSize(lying, part, size);
        expect({ part, error: await failure(lying) }).toMatchObject({
          part,
          error: { code: 'E_INPUT_READ', message: expect.stringContaining(`${part} 解压后的大小与记录的不符`) },
        });
      }
      // Through the reader of the command line, as a county's file is read.
      if (inMemoryMaxBytes === undefined) expect(await readFailure(huge)).toMatchObject({ code: 'E_INPUT_READ' });
    });
  }
});

test('a cell that holds U+FFFD rejects its row (E_INPUT_UNDECODABLE), naming sheet, row and column; the other rows go on', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.addRow(['单位名称', '区县', '备注']);
  ws.addRow(['柳州市甲厂', '柳江区', '']);
  ws.addRow(['柳州市\uFFFD厂', '柳江区', '']);
  ws.addRow(['柳州市丙厂', '柳江区', '\uFFFD 不用的列']);
  const xlsx = path.join(dir, 'fffd.xlsx');
  await wb.xlsx.writeFile(xlsx);
  const { records, errors } = await collect(xlsx);
  expect(records.map((r) => r.name)).toEqual(['柳州市甲厂', '柳州市丙厂']);
  expect(errors).toEqual([
    {
      code: 'E_INPUT_UNDECODABLE',
      source: { file: xlsx, row: 3, sheet: '名单' },
      column: '单位名称',
      value: '柳州市\uFFFD厂',
      message: expect.stringContaining(
        `${xlsx}（工作表“名单”） 第 3 行“单位名称”列（值：柳州市\uFFFD厂）：文件本身在这里含有无法解码的字符`,
      ),
    },
  ]);
});
