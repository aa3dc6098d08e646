// A line break inside a cell: refused in one-line fields (never joined into a name), a separator in the hazard list,
// joined in the address (README “逐行校验”).

import { collect, scratchFolder } from './fixtures/input/collect';

const scratch = scratchFolder('line-breaks');

test('JSON: a name over two lines is rejected with E_CELL_LINE_BREAK naming row, column and value', async () => {
  const file = scratch.write(
    'list.json',
    JSON.stringify([
      { 单位名称: '柳州市恒通\n机械有限公司', 行业: 'C3311', 区县: '城中区' },
      { 单位名称: '柳州鑫源建材厂', 行业: 'C3011', 区县: '城中区', 危害因素: '矽尘\n噪声\r\n高温' },
      { 单位名称: '柳州宏达化工有限公司', 行业: 'C2614\n', 区县: '鱼峰区', 地址: '柳州市鱼峰区\n某路 1 号' },
      { 单位名称: '柳州市永固门窗厂', 行业: 'C3311', 区县: '柳南\n区' },
    ]),
  );
  const { records, errors } = await collect(file);
  expect(errors.map((e) => [e.source.row, e.code, e.column, e.value])).toEqual([
    [1, 'E_CELL_LINE_BREAK', '单位名称', '柳州市恒通↵机械有限公司'],
    [4, 'E_CELL_LINE_BREAK', '区县', '柳南↵区'],
  ]);
  expect(errors[0].message).toMatch(/第 1 项.*“单位名称”列.*单元格内有换行.*不会自行拼接/);
  expect(errors[0].message).not.toMatch(/引号/); // the CSV hint only for CSV
  // Hazards split on line breaks; a trailing break in a one-line cell is only trailing space; the address is joined.
  expect(records.map((r) => [r.name, r.hazards, r.industry, r.address])).toEqual([
    ['柳州鑫源建材厂', ['矽尘', '噪声', '高温'], 'C3011', undefined],
    ['柳州宏达化工有限公司', undefined, 'C2614', '柳州市鱼峰区某路 1 号'],
  ]);
});

test('CSV: a quoted name over two lines is rejected with a hint about stray quotes', async () => {
  const file = scratch.write('list.csv', '单位名称,行业,区县\n"柳州市恒通\n机械有限公司",C3311,城中区\n柳州鑫源建材厂,C3011,城中区\n');
  const { records, errors } = await collect(file);
  expect(errors.map((e) => [e.source.row, e.code])).toEqual([[2, 'E_CELL_LINE_BREAK']]);
  expect(errors[0].message).toMatch(/多了一个引号/);
  expect(records.map((r) => r.name)).toEqual(['柳州鑫源建材厂']);
});
