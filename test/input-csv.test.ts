// CSV input: encodings, title/blank rows, header variants, row checks, row accounting, file errors.

import fs from 'node:fs';
import { detectCsvEncoding } from '../src/input/csv-source';
import { collect, fixture, readFailure, scratchFolder } from './fixtures/input/collect';

const scratch = scratchFolder('csv');
const write = scratch.write;

describe('GBK CSV with a title row and a blank row above the header', () => {
  const file = fixture('gbk-title.csv');

  test('detected as GB18030 (covers GBK)', async () => {
    expect(fs.readFileSync(file).includes(Buffer.from('单位', 'utf8'))).toBe(false); // really not UTF-8
    await expect(detectCsvEncoding(file)).resolves.toBe('gb18030');
  });

  test('records, row numbers and columns', async () => {
    const { records, headers } = await collect(file);
    expect(headers).toEqual([
      {
        row: 3,
        mapped: {
          '单位名称*': 'name',
          统一社会信用代码: 'uscc',
          行业代码: 'industry',
          行业名称: 'industry',
          '县（市、区）': 'county',
          '乡镇（街道）': 'township',
          作业场所地址: 'address',
          注册地址: 'address',
          劳动者人数: 'workers',
          职业病危害因素: 'hazards',
        },
        ignored: ['序号', '备注'],
      },
    ]);
    expect(records[0]).toEqual({
      source: { file, row: 4 },
      name: '柳城县永盛水泥有限公司',
      uscc: '91450222MA5K0A1B8E',
      industry: 'C3011 水泥制造',
      county: '柳城县',
      township: '大埔镇',
      address: '大埔镇工业园 3 号', // 作业场所地址 preferred over 注册地址
      workers: '120',
      hazards: ['矽尘', '噪声', '高温'],
      columns: {
        name: '单位名称*',
        uscc: '统一社会信用代码',
        industry: '行业代码、行业名称',
        county: '县（市、区）',
        township: '乡镇（街道）',
        address: '作业场所地址',
        workers: '劳动者人数',
        hazards: '职业病危害因素',
      },
    });
    // Lower-case USCC upper-cased; code without name; empty 作业场所地址 falls back to 注册地址; quoted list split on ","
    expect(records[1]).toMatchObject({
      source: { row: 5 },
      uscc: '91450222MA5K004770',
      industry: 'C2110',
      address: '柳城县沙埔镇',
      hazards: ['木粉尘', '噪声'],
    });
    expect(records[1].columns.address).toBe('注册地址');
    expect(records[1].township).toBeUndefined();
  });

  test('row checks: missing name, wrong check character; one item per data row', async () => {
    const { errors, rows } = await collect(file);
    expect(rows).toEqual([4, 5, 7, 8]); // line 6 is blank
    expect(errors).toEqual([
      {
        code: 'E_NAME_MISSING',
        source: { file, row: 7 },
        column: '单位名称*',
        value: '',
        message: `${file} 第 7 行“单位名称*”列：单位名称为空，无法生成告知单`,
      },
      {
        code: 'E_USCC_CHECK',
        source: { file, row: 8 },
        column: '统一社会信用代码',
        value: '91450222MA5K0B2C3X',
        message: `${file} 第 8 行“统一社会信用代码”列（值：91450222MA5K0B2C3X）：校验码错误：第 18 位应为“W”，实际为“X”，请核对代码是否抄错`,
      },
    ]);
  });
});

describe('UTF-8 CSV with BOM', () => {
  const file = fixture('utf8-bom.csv');

  test('header variants, quoted multi-line address joined, control characters and full-width spaces removed', async () => {
    await expect(detectCsvEncoding(file)).resolves.toBe('utf-8');
    const { records, headers } = await collect(file);
    expect(headers[0].mapped).toEqual({
      用人单位名称: 'name',
      社会信用代码: 'uscc',
      所属行业: 'industry',
      区县: 'county',
      街道: 'township',
      地址: 'address',
      职工人数: 'workers',
      危害因素: 'hazards',
    });
    expect(headers[0].ignored).toEqual(['联系人']);
    expect(records.map((r) => [r.source.row, r.name])).toEqual([
      [2, '柳州市鱼峰区宏达化工有限公司'],
      [8, '柳州控制符公司'],
    ]);
    expect(records[0]).toMatchObject({
      industry: 'C2614 有机化学原料制造',
      hazards: ['苯', '甲苯', '噪声'],
      workers: '80',
      township: '荣军街道',
      address: '柳州市鱼峰区荣军路 1 号',
    });
  });

  test('every USCC check with its code, column and value', async () => {
    const { errors, rows } = await collect(file);
    expect(rows).toEqual([2, 4, 5, 6, 7, 8]); // record 1 spans lines 2–3
    expect(errors.map((e) => [e.code, e.source.row, e.column, e.value])).toEqual([
      ['E_USCC_LENGTH', 4, '社会信用代码', '91450203MA5N2B7C1'],
      ['E_USCC_CHARSET', 5, '社会信用代码', '91450203MA5N2B7CIR'],
      ['E_USCC_EXCEL', 6, '社会信用代码', '9.14502E+17'],
      ['E_USCC_EXCEL', 7, '社会信用代码', '914502220000000000'],
    ]);
    for (const e of errors) expect(e.message).toContain(`${file} 第 ${e.source.row} 行“社会信用代码”列（值：${e.value}）：`);
    expect(errors[2].message).toContain('Excel');
  });
});

test('UTF-8 CSV without BOM; several address columns: 经营地址 preferred over 单位地址', async () => {
  const file = fixture('utf8.csv');
  const { records } = await collect(file);
  expect(records.map((r) => [r.name, r.address, r.columns.address])).toEqual([
    ['柳州市恒通机械有限公司', '柳北区北雀路 5 号', '单位地址'],
    ['柳州市城中区某厂', '城中区经营路 8 号', '经营地址'],
  ]);
  expect(records[1].hazards).toBeUndefined();
});

describe('undecodable bytes: their row is rejected (E_INPUT_UNDECODABLE), the other rows go on', () => {
  test('UTF-8 text followed by a GBK line: that line is rejected, naming file, row and column', async () => {
    const gbk = Buffer.from([0xc1, 0xf8, 0xd6, 0xdd, 0x2c, 0xb3, 0xc7, 0xd6, 0xd0, 0xc7, 0xf8, 0x0a]); // 柳州,城中区 in GBK
    const file = write(
      'mixed.csv',
      Buffer.concat([Buffer.from('单位名称,区县\n柳州市水泥厂,柳城县\n'), gbk, Buffer.from('柳州市砖厂,柳江区\n')]),
    );
    await expect(detectCsvEncoding(file)).resolves.toBe('utf-8');
    const { records, errors, rows } = await collect(file);
    expect(rows).toEqual([2, 3, 4]);
    expect(records.map((r) => r.name)).toEqual(['柳州市水泥厂', '柳州市砖厂']);
    expect(errors).toEqual([
      {
        code: 'E_INPUT_UNDECODABLE',
        source: { file, row: 3 },
        column: '单位名称',
        value: '\ufffd'.repeat(4),
        message: expect.stringContaining(`${file} 第 3 行“单位名称”列（值：${'\ufffd'.repeat(4)}）：文件本身在这里含有无法解码的字符`),
      },
    ]);
    expect(errors[0].message).toContain('这不是字体缺字');
  });

  test('UTF-8 with a stray byte on line 2: still UTF-8, that row rejected, later rows read exactly (never re-read as GBK)', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => `柳州市第${'一二三四五六'[i]}机械厂,柳城县\n`);
    const file = write(
      'stray.csv',
      Buffer.concat([Buffer.from('name,county\n甲'), Buffer.from([0xff]), Buffer.from(`厂,柳江区\n${rows.join('')}`)]),
    );
    await expect(detectCsvEncoding(file)).resolves.toBe('utf-8');
    const { records, errors } = await collect(file);
    expect(errors.map((e) => [e.code, e.source.row, e.column])).toEqual([['E_INPUT_UNDECODABLE', 2, 'name']]);
    expect(records.map((r) => r.name)).toEqual(rows.map((r) => r.split(',')[0]));
  });

  test('bytes valid in neither UTF-8 nor GB18030: read as GB18030, the rows holding them rejected', async () => {
    const gbk = (s: number[]) => Buffer.from(s);
    // header 单位名称,区县 and rows 柳州,城中区 / 0xFF 0xFF,城中区 in GBK
    const header = gbk([0xb5, 0xa5, 0xce, 0xbb, 0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xc7, 0xf8, 0xcf, 0xd8, 0x0a]);
    const good = gbk([0xc1, 0xf8, 0xd6, 0xdd, 0x2c, 0xb3, 0xc7, 0xd6, 0xd0, 0xc7, 0xf8, 0x0a]);
    const bad = gbk([0xc1, 0xf8, 0xff, 0xff, 0x2c, 0xb3, 0xc7, 0xd6, 0xd0, 0xc7, 0xf8, 0x0a]);
    const file = write('neither.csv', Buffer.concat([header, good, bad, good]));
    await expect(detectCsvEncoding(file)).resolves.toBe('gb18030');
    const { records, errors } = await collect(file);
    expect(records.map((r) => [r.source.row, r.name, r.county])).toEqual([
      [2, '柳州', '城中区'],
      [4, '柳州', '城中区'],
    ]);
    expect(errors.map((e) => [e.code, e.source.row, e.column, e.value])).toEqual([
      ['E_INPUT_UNDECODABLE', 3, '单位名称', '柳\ufffd\ufffd'],
    ]);
  });

  test('a BOM file with an invalid byte in the 区县 column', async () => {
    const bytes = [Buffer.from('\ufeff单位名称,区县\n甲厂,'), Buffer.from([0xb5, 0xa5, 0x0a]), Buffer.from('乙厂,柳江区\n')];
    const file = write('bom-broken.csv', Buffer.concat(bytes));
    const { records, errors } = await collect(file);
    expect(records.map((r) => r.name)).toEqual(['乙厂']);
    expect(errors.map((e) => [e.code, e.source.row, e.column])).toEqual([['E_INPUT_UNDECODABLE', 2, '区县']]);
  });

  test('an undecodable byte in a column the record does not use is no reason to reject the row', async () => {
    const file = write('ignored.csv', Buffer.concat([Buffer.from('单位名称,区县,备注\n甲厂,柳江区,'), Buffer.from([0xff, 0x0a])]));
    const { records, errors } = await collect(file);
    expect(errors).toEqual([]);
    expect(records.map((r) => r.name)).toEqual(['甲厂']);
  });

  test('a UTF-16 file is refused as a whole', async () => {
    const file = write('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('单位名称,区县\n甲厂,柳江区\n', 'utf16le')]));
    expect(await readFailure(file)).toMatchObject({ code: 'E_INPUT_ENCODING', message: expect.stringContaining('UTF-16') });
  });
});

describe('headers', () => {
  test('markers and full-width forms are normalised', async () => {
    const file = write('markers.csv', '※单位名称（必填）, 统一 社会信用代码 *,ＪＵＮＫ,所在地\n甲厂,,x,柳江区\n');
    const { records, headers } = await collect(file);
    expect(headers[0].mapped).toEqual({ '※单位名称（必填）': 'name', '统一 社会信用代码 *': 'uscc', 所在地: 'county' });
    expect(records[0]).toMatchObject({ name: '甲厂', county: '柳江区', columns: { name: '※单位名称（必填）', county: '所在地' } });
  });

  test('a name column alone is not a header', async () => {
    const file = write('name-only.csv', '单位名称\n甲厂\n');
    const e = await readFailure(file);
    expect(e.code).toBe('E_INPUT_HEADER');
    expect(e.message).toContain(file);
  });

  test('no header in the first 20 rows', async () => {
    const file = write('late-header.csv', 'x\n'.repeat(20) + '单位名称,区县\n甲厂,柳江区\n');
    expect(await readFailure(file)).toMatchObject({ code: 'E_INPUT_HEADER', message: expect.stringContaining('前 20 行') });
  });

  test('two columns for one field name both', async () => {
    const file = write('dup.csv', '单位名称,区县,企业名称\n甲,柳江区,乙\n');
    const e = await readFailure(file);
    expect(e.code).toBe('E_INPUT_HEADER_DUPLICATE');
    expect(e.message).toContain('A 列“单位名称”');
    expect(e.message).toContain('C 列“企业名称”');
  });
});

test('row accounting: every non-blank data row yields exactly one item, in order', async () => {
  const lines = ['单位名称,统一社会信用代码,区县'];
  const expected: number[] = [];
  for (let i = 0; i < 60; i++) {
    const kind = i % 4;
    lines.push(
      kind === 0 ? `厂${i},91450222MA5K0A1B8E,柳江区` : kind === 1 ? `,91450222MA5K0A1B8E,柳江区` : kind === 2 ? ',,' : `厂${i},123,柳江区`,
    );
    if (kind !== 2) expected.push(i + 2);
  }
  const { records, errors, rows } = await collect(write('accounting.csv', lines.join('\r\n')));
  expect(rows).toEqual(expected);
  expect(records.length + errors.length).toBe(45);
  expect(errors.filter((e) => e.code === 'E_NAME_MISSING')).toHaveLength(15);
  expect(errors.filter((e) => e.code === 'E_USCC_LENGTH')).toHaveLength(15);
});

describe('file-level errors', () => {
  test('missing file', async () => {
    expect(await readFailure(scratch.at('nope.csv'))).toMatchObject({ code: 'E_INPUT_READ', message: expect.stringContaining('nope.csv') });
  });
  test('unsupported extension, with a hint for .xls', async () => {
    expect(await readFailure(write('list.xls', 'x'))).toMatchObject({
      code: 'E_INPUT_FORMAT',
      message: expect.stringContaining('另存为 .xlsx'),
    });
  });
  test('--sheet on a CSV', async () => {
    expect(await readFailure(fixture('utf8.csv'), { sheet: 'Sheet1' })).toMatchObject({ code: 'E_INPUT_SHEET' });
  });
  test('a directory', async () => {
    fs.mkdirSync(scratch.at('folder.csv'));
    expect(await readFailure(scratch.at('folder.csv'))).toMatchObject({ code: 'E_INPUT_READ' });
  });
});
