// JSON and YAML input: one item per array element / list item, with line numbers in messages.

import { jsonArrayElements } from '../src/input/json-source';
import { collect, fixture, readFailure, scratchFolder } from './fixtures/input/collect';

const scratch = scratchFolder('keyed');
const write = scratch.write;

describe('JSON', () => {
  const file = fixture('employers.json');

  test('records and per-element errors, rows = index + 1', async () => {
    const { records, errors, rows, headers } = await collect(file);
    expect(rows).toEqual([1, 2, 3, 4, 5, 6]);
    expect(headers[0]).toMatchObject({ row: 1, ignored: ['备注'] });
    expect(records[0]).toEqual({
      source: { file, row: 1 },
      name: '柳江区某石材厂',
      uscc: '91450200198765432H',
      industry: 'C3032',
      county: '柳江区',
      workers: '25',
      hazards: ['矽尘', '噪声'],
      columns: { name: '单位名称', uscc: '统一社会信用代码', industry: '行业', county: '区县', workers: '劳动者人数', hazards: '危害因素' },
    });
    expect(records[1]).toMatchObject({ source: { row: 5 }, name: '英文键厂', uscc: '91450222MA5K0B2C3W', hazards: ['噪声', '高温'] });
    expect(errors.map((e) => [e.code, e.source.row])).toEqual([
      ['E_USCC_EXCEL', 2],
      ['E_ROW_SYNTAX', 3],
      ['E_ROW_NOT_OBJECT', 4],
      ['E_ROW_VALUE', 6],
    ]);
    expect(errors[0].message).toBe(
      `${file} 第 2 项（第 11 行）“统一社会信用代码”列（值：914502220000000000）：统一社会信用代码写成了数字而不是字符串，超过 15 位的部分会丢失；请加上引号写成字符串`,
    );
    expect(errors[1].message).toContain('第 3 项（第 12 行）');
    expect(errors[3]).toMatchObject({ column: '地址' });
  });

  test('the splitter ignores brackets and commas inside strings and spans chunks', async () => {
    const big = 'x'.repeat(300 * 1024); // longer than one read chunk
    const f = write('split.json', `\ufeff[\n {"单位名称": "a]},\\"[", "区县": "${big}"},\n\n {"单位名称": "b"}\n]\n`);
    const elements = [];
    for await (const e of jsonArrayElements(f)) elements.push(e);
    expect(elements.map((e) => [e.index, e.line])).toEqual([
      [0, 2],
      [1, 4],
    ]);
    expect(JSON.parse(elements[0].text)).toEqual({ 单位名称: 'a]},"[', 区县: big });
  });

  test.each([
    ['not-array.json', '{"单位名称": "a"}', 'E_INPUT_FORMAT', '顶层应为数组'],
    ['empty.json', '  ', 'E_INPUT_FORMAT', '是空的'],
    ['unterminated.json', '[{"单位名称": "a"},\n{"单位名称": "b"}', 'E_INPUT_SYNTAX', '第 2 行'],
    ['trailing.json', '[{"单位名称": "a"}] x', 'E_INPUT_SYNTAX', '多余的内容'],
    ['extra-comma.json', '[{"单位名称": "a"},\n]', 'E_INPUT_SYNTAX', '多余的逗号'],
  ])('%s is refused', async (name, content, code, text) => {
    const f = write(name, content);
    const e = await readFailure(f);
    expect(e.code).toBe(code);
    expect(e.message).toContain(f);
    expect(e.message).toContain(text);
  });

  test('an empty array has no rows', async () => {
    expect((await collect(write('none.json', '[ ]'))).rows).toEqual([]);
  });
});

describe('YAML', () => {
  const file = fixture('employers.yaml');

  test('top-level list items, values kept as typed, line numbers in messages', async () => {
    const { records, errors, rows } = await collect(file);
    expect(rows).toEqual([1, 2, 3, 4, 5]);
    expect(records).toEqual([
      {
        source: { file, row: 1 },
        name: '柳江区某砖厂',
        uscc: '91450222MA5K0A1B8E',
        industry: 'C3031 黏土砖瓦及建筑砌块制造',
        county: '柳江区',
        hazards: ['矽尘', '噪声'],
        columns: { name: '单位名称', uscc: '统一社会信用代码', industry: '行业', county: '区县', hazards: '危害因素' },
      },
    ]);
    expect(errors.map((e) => [e.code, e.source.row])).toEqual([
      ['E_ROW_SYNTAX', 2], // duplicate key
      ['E_NAME_MISSING', 3],
      ['E_NAME_MISSING', 4], // ~ is YAML's null
      ['E_USCC_EXCEL', 5],
    ]);
    expect(errors[0].message).toContain(`${file} 第 2 项（第 12 行）`);
    expect(errors[1].message).toBe(`${file} 第 3 项（第 14 行）“单位名称”列：单位名称为空，无法生成告知单`);
  });

  test('numbers stay as typed (failsafe schema)', async () => {
    const f = write('typed.yaml', '- 单位名称: 某厂\n  劳动者人数: 0012\n  统一社会信用代码: 914502200000015000\n');
    const { records } = await collect(f);
    expect(records[0]).toMatchObject({ workers: '0012', uscc: '914502200000015000' });
  });

  test('a stream of documents, each one mapping', async () => {
    const f = write('docs.yaml', '%YAML 1.2\n---\n单位名称: 甲厂\n危害因素:\n- 噪声\n---\n# 第二个\n单位名称: 乙厂\n区县: 柳江区\n...\n');
    const { records } = await collect(f);
    expect(records.map((r) => [r.source.row, r.name, r.hazards])).toEqual([
      [1, '甲厂', ['噪声']],
      [2, '乙厂', undefined],
    ]);
  });

  test('an indented top-level list', async () => {
    const f = write('indented.yaml', '  - 单位名称: 甲厂\n    区县: 柳江区\n  - 单位名称: 乙厂\n');
    expect((await collect(f)).records.map((r) => r.name)).toEqual(['甲厂', '乙厂']);
  });

  test('an anchor in one item, used by aliases (and a << merge) in the items after it', async () => {
    const f = write(
      'anchors.yaml',
      [
        '- &base',
        '  单位名称: 甲厂',
        '  行业: C3031',
        '  区县: 柳江区',
        '  危害因素: &dust [矽尘, 噪声]',
        '- <<: *base',
        '  单位名称: 乙厂',
        '- 单位名称: 丙厂',
        '  危害因素: *dust',
        '- 危害因素: &dust [高温]', // redefined: later aliases take the new value
        '  单位名称: 丁厂',
        '- {单位名称: 戊厂, 危害因素: *dust}',
        '- 单位名称: 己厂',
        '  区县: *nowhere',
        '',
      ].join('\n'),
    );
    const { records, errors, rows } = await collect(f);
    expect(rows).toEqual([1, 2, 3, 4, 5, 6]);
    expect(records.map((r) => [r.name, r.industry, r.county, r.hazards])).toEqual([
      ['甲厂', 'C3031', '柳江区', ['矽尘', '噪声']],
      ['乙厂', 'C3031', '柳江区', ['矽尘', '噪声']],
      ['丙厂', undefined, undefined, ['矽尘', '噪声']],
      ['丁厂', undefined, undefined, ['高温']],
      ['戊厂', undefined, undefined, ['高温']],
    ]);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'E_ROW_SYNTAX', message: `${f} 第 6 项（第 13 行）：别名“*nowhere”之前没有定义锚点“&nowhere”` }),
    ]);
  });

  test('anchors do not cross documents', async () => {
    const f = write('doc-anchors.yaml', '---\n单位名称: &n 甲厂\n---\n单位名称: *n\n');
    const { records, errors } = await collect(f);
    expect(records.map((r) => r.name)).toEqual(['甲厂']);
    expect(errors.map((e) => [e.code, e.source.row])).toEqual([['E_ROW_SYNTAX', 2]]);
  });

  test('anchors do not cross documents of block lists either: the alias after "---" is that row’s error', async () => {
    const f = write('list-doc-anchors.yaml', '- &a {单位名称: 甲厂, 区县: 柳江区}\n---\n- *a\n');
    const { records, errors } = await collect(f);
    expect(records.map((r) => r.name)).toEqual(['甲厂']);
    expect(errors.map((e) => [e.code, e.source.row])).toEqual([['E_ROW_SYNTAX', 2]]);
  });

  test('aliases that would expand past the limit are an error of that item, not a hang', async () => {
    const lines = ['- 单位名称: 甲厂', '  备注: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 5; i++)
      lines.push(
        `- 单位名称: 厂${i}`,
        `  备注: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const { errors } = await collect(write('bomb.yaml', `${lines.join('\n')}\n`));
    expect(errors.map((e) => [e.source.row, e.code])).toEqual([
      [2, 'E_ROW_VALUE'], // a list of lists is no cell value
      [3, 'E_ROW_VALUE'],
      [4, 'E_ROW_VALUE'],
      [5, 'E_ROW_SYNTAX'],
      [6, 'E_ROW_SYNTAX'],
    ]);
    expect(errors[3].message).toContain('别名展开后超过 10000 个值');
    expect(errors[4].message).toContain('别名“*a4”所指的锚点“&a4”所在的项有错误');
  });

  test('a flow list at the top level: one item per element, lines of each element', async () => {
    const f = write(
      'flow.yaml',
      [
        '# 名单',
        '[',
        '  {单位名称: "甲厂, 一分厂]", 区县: 柳江区, 危害因素: [矽尘, 噪声]}, # 注释',
        '  {单位名称: 乙厂,',
        '   区县: 柳江区},',
        '  {单位名称: 丙厂, 单位名称: 重复},',
        '  &d {单位名称: 丁厂, 劳动者人数: 0012},',
        '  {<<: *d, 单位名称: 戊厂},',
        ']',
        '# 完',
        '',
      ].join('\n'),
    );
    const { records, errors, rows } = await collect(f);
    expect(rows).toEqual([1, 2, 3, 4, 5]);
    expect(records.map((r) => [r.source.row, r.name, r.county, r.hazards, r.workers])).toEqual([
      [1, '甲厂, 一分厂]', '柳江区', ['矽尘', '噪声'], undefined],
      [2, '乙厂', '柳江区', undefined, undefined],
      [4, '丁厂', undefined, undefined, '0012'],
      [5, '戊厂', undefined, undefined, '0012'],
    ]);
    expect(errors.map((e) => [e.code, e.message.slice(0, e.message.indexOf('：'))])).toEqual([['E_ROW_SYNTAX', `${f} 第 3 项（第 6 行）`]]);
    expect((await collect(write('flow1.yaml', '[{单位名称: 甲厂}]\n'))).records.map((r) => r.name)).toEqual(['甲厂']);
    expect((await collect(write('flow-doc.yaml', '--- [{单位名称: 甲厂}, {单位名称: 乙厂}]\n...\n'))).records.map((r) => r.name)).toEqual([
      '甲厂',
      '乙厂',
    ]);
  });

  test('a flow list longer than one read chunk', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `柳江区第${i}号某某某某某某某某某某某某某某某某某某某某某某某某厂`);
    const f = write('flow-big.yaml', `[${names.map((n, i) => `{单位名称: '${n}', 区县: 柳江区}${i % 7 === 0 ? '\n' : ' '}`).join(',')}]\n`);
    const { records } = await collect(f);
    expect(records.map((r) => r.name)).toEqual(names);
  });

  test.each([
    ['unclosed.yaml', '[{单位名称: 甲厂},\n {单位名称: 乙厂}\n', '第 1 行开始的列表“[”没有闭合'],
    ['trailing.yaml', '[{单位名称: 甲厂}]\nx: 1\n', '第 2 行：顶层列表的“]”之后还有内容'],
    ['mismatch.yaml', '[\n {单位名称: 甲厂]\n]\n', '第 2 行：“]”与第 2 行的“{”不配对'],
    ['empty-item.yaml', '[{单位名称: 甲厂}, , {单位名称: 乙厂}]\n', '第 1 行：列表中有空的一项'],
    ['document-marker.yaml', '[\n {单位名称: 甲厂},\n---\n]\n', '第 3 行：列表闭合（“]”）之前出现了“---”'],
  ])('a broken flow list is refused: %s', async (name, content, text) => {
    const f = write(name, content);
    const e = await readFailure(f);
    expect(e.code).toBe('E_INPUT_SYNTAX');
    expect(e.message).toContain(`YAML 文件“${f}”`);
    expect(e.message).toContain(text);
  });
});
