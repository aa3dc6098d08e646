// --columns: explicit layouts by letter or header text, and the errors of a bad columns file.

import { collect, fixture, readFailure, scratchFolder } from './fixtures/input/collect';

const scratch = scratchFolder('columns');
const write = scratch.write;

test('odd layout: letters and header text, header row found by its texts', async () => {
  const file = fixture('odd-layout.csv');
  const { records, headers, errors } = await collect(file, { columnsFile: fixture('odd-columns.yaml') });
  expect(errors).toEqual([]);
  expect(headers).toEqual([
    {
      row: 2,
      mapped: { 企业名: 'name', '代码（18位）': 'uscc', 所在县: 'county', 行业门类代码: 'industry', 因素: 'hazards' },
      ignored: [],
    },
  ]);
  expect(records).toEqual([
    {
      source: { file, row: 3 },
      name: '柳南区某铸造厂',
      uscc: '92450221MA5L123458',
      industry: 'C3391',
      county: '柳南区',
      hazards: ['矽尘', '噪声'],
      columns: { name: '企业名', uscc: '代码（18位）', county: '所在县', industry: '行业门类代码', hazards: '因素' },
    },
    expect.objectContaining({ source: { file, row: 4 }, name: '柳南区某五金厂', uscc: '52450200MJ00000129' }),
  ]);
});

test('without --columns the odd layout has no recognisable header', async () => {
  expect(await readFailure(fixture('odd-layout.csv'))).toMatchObject({ code: 'E_INPUT_HEADER' });
});

test('headerRow: 0 — no header, letters only; messages name the letter', async () => {
  const columns = write('letters.yaml', 'headerRow: 0\ncolumns:\n  name: B\n  uscc: C\n');
  const file = write('bare.csv', '1,甲厂,91450222MA5K0A1B8E\n2,,91450222MA5K004770\n');
  const { records, errors } = await collect(file, { columnsFile: columns });
  expect(records).toEqual([{ source: { file, row: 1 }, name: '甲厂', uscc: '91450222MA5K0A1B8E', columns: { name: 'B', uscc: 'C' } }]);
  expect(errors).toEqual([
    expect.objectContaining({ code: 'E_NAME_MISSING', column: 'B', message: `${file} 第 2 行“B”列：单位名称为空，无法生成告知单` }),
  ]);
});

test('explicit headerRow; letters take that row’s header text', async () => {
  const columns = write('row2.yaml', 'headerRow: 2\ncolumns:\n  name: a\n  county: b\n');
  const file = write('row2.csv', '名单\n名称,县\n甲厂,柳江区\n');
  const { records } = await collect(file, { columnsFile: columns });
  expect(records).toEqual([{ source: { file, row: 3 }, name: '甲厂', county: '柳江区', columns: { name: '名称', county: '县' } }]);
});

test('JSON keys by --columns', async () => {
  const columns = write('keys.yaml', 'columns:\n  name: 企业\n  county: 县\n');
  const file = write('keys.json', '[{"企业": "甲厂", "县": "柳江区"}, {"县": "柳江区"}]');
  const { records, errors } = await collect(file, { columnsFile: columns });
  expect(records).toEqual([{ source: { file, row: 1 }, name: '甲厂', county: '柳江区', columns: { name: '企业', county: '县' } }]);
  expect(errors.map((e) => e.code)).toEqual(['E_NAME_MISSING']);
});

describe('bad columns files name the file, the line and column, and the key', () => {
  test.each([
    [
      'unknown-key.yaml',
      'columns:\n  name: A\n  phone: B\nheaderRow: 1\n',
      '第 3 行第 3 列',
      'columns 有不认识的键“phone”（可用的键：name、uscc、industry、',
    ],
    ['no-name.yaml', 'headerRow: 1\ncolumns:\n  uscc: B\n', '第 3 行第 3 列', 'columns 缺少必填的键“name”'],
    ['negative.yaml', 'headerRow: -1\ncolumns:\n  name: A\n', '第 1 行第 12 列', 'headerRow 不能小于 0，实际为 -1'],
    ['text-row.yaml', 'headerRow: 第二行\ncolumns:\n  name: A\n', '第 1 行第 12 列', 'headerRow 应为行号（整数），实际为文字“第二行”'],
    [
      'list-column.yaml',
      'headerRow: 1\ncolumns:\n  name: [A, B]\n',
      '第 3 行第 9 列',
      'columns.name 应为列字母（如 A）或表头文字，实际为列表',
    ],
    ['letters-no-row.yaml', 'columns:\n  name: A\n', '第 1 行第 1 列', '缺少 headerRow：columns 全部用列字母时须写明表头所在行'],
    [
      'zero-with-text.yaml',
      'headerRow: 0\ncolumns:\n  name: 企业名\n',
      '第 1 行第 12 列',
      'headerRow 为 0（没有表头行）时，columns 只能用列字母',
    ],
    ['not-mapping.yaml', '- a\n', '第 1 行第 1 列', '文件内容应为映射（headerRow、columns），实际为列表'],
    ['broken.yaml', 'columns: [\n', '第 2 行第 1 列', 'YAML 语法错误：方括号或花括号没有闭合'],
  ])('%s', async (name, content, where, reason) => {
    const columns = write(name, content);
    const e = await readFailure(fixture('utf8.csv'), { columnsFile: columns });
    expect(e.code).toBe('E_COLUMNS_FILE');
    expect(e.message).toContain(`列定义文件“${columns}”${where}：${reason}`);
  });

  test('missing columns file', async () => {
    const columns = scratch.at('absent.yaml');
    expect(await readFailure(fixture('utf8.csv'), { columnsFile: columns })).toMatchObject({
      code: 'E_COLUMNS_FILE',
      message: expect.stringContaining(columns),
    });
  });

  test('a header text not in the header row lists the headers', async () => {
    const columns = write('absent-col.yaml', 'headerRow: 1\ncolumns:\n  name: 企业名称\n  uscc: 代码\n');
    const e = await readFailure(fixture('utf8.csv'), { columnsFile: columns });
    expect(e.code).toBe('E_COLUMNS_FILE');
    expect(e.message).toContain('没有名为“代码”的列');
    expect(e.message).toContain('表头有：企业名称、信用代码');
  });
});
