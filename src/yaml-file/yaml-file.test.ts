import { z } from 'zod';
import { parseYaml, placeText, type YamlProblem } from './yaml-file';

/** The problem parseYaml reports for `text` against `schema`. */
function problemOf(text: string, schema: z.ZodTypeAny): YamlProblem {
  let problem: YamlProblem | undefined;
  try {
    parseYaml(
      text,
      () => schema,
      (p) => {
        problem = p;
        return new Error(p.message);
      },
    );
  } catch {
    if (problem) return problem;
  }
  throw new Error(`accepted: ${text}`);
}

const said = (p: YamlProblem) => `${placeText(p.line, p.column)}：${p.message}`;

describe('what was expected, what was found, and where', () => {
  test.each([
    ['expected type', z.object({ n: z.number() }), 'n: 十', '第 1 行第 4 列：n 应为数字，实际为文字“十”'],
    ['integer', z.object({ n: z.number().int() }), 'n: 1.5', '第 1 行第 4 列：n 应为整数，实际为数字 1.5'],
    ['list', z.object({ l: z.array(z.string()) }), 'l: a', '第 1 行第 4 列：l 应为列表，实际为文字“a”'],
    ['item of a list', z.object({ l: z.array(z.string()) }), 'l:\n  - a\n  - [b]\n', '第 3 行第 5 列：l.1 应为文字，实际为列表'],
    [
      'enum options',
      z.object({ e: z.enum(['section', 'class']) }),
      'e: group',
      '第 1 行第 4 列：e 应为 section、class 之一，实际为“group”',
    ],
    ['number minimum', z.object({ n: z.number().min(5) }), 'n: 4', '第 1 行第 4 列：n 不能小于 5，实际为 4'],
    ['positive', z.object({ n: z.number().positive() }), 'n: 0', '第 1 行第 4 列：n 应大于 0，实际为 0'],
    ['number maximum', z.object({ n: z.number().max(60) }), 'n: 61', '第 1 行第 4 列：n 不能大于 60，实际为 61'],
    ['text length', z.object({ s: z.string().length(2) }), 's: 〔', '第 1 行第 4 列：s 应为 2 个字符，实际为“〔”'],
    ['empty text', z.object({ s: z.string().min(1) }), "s: ''", '第 1 行第 4 列：s 不能为空'],
    ['longest text', z.object({ s: z.string().max(3) }), 's: abcd', '第 1 行第 4 列：s 最多 3 个字符，实际为“abcd”'],
    ['list size', z.object({ l: z.array(z.string()).max(1) }), 'l: [a, b]', '第 1 行第 4 列：l 最多 1 项，实际为列表'],
    ['text to include', z.object({ s: z.string().includes('{序号}') }), 's: 第号', '第 1 行第 4 列：s 应包含“{序号}”，实际为“第号”'],
    ['pattern', z.object({ s: z.string().regex(/^\d+$/) }), 's: x1', '第 1 行第 4 列：s 格式不符，实际为“x1”'],
    ['literal', z.object({ v: z.literal(1) }), 'v: 2', '第 1 行第 4 列：v 应为 1，实际为 2'],
    ['union', z.object({ u: z.union([z.string(), z.number()]) }), 'u: [a]', '第 1 行第 4 列：u 应为文字或数字，实际为列表'],
    ['missing key', z.object({ a: z.object({ b: z.string(), c: z.string() }) }), 'a:\n  b: x\n', '第 2 行第 3 列：a 缺少必填的键“c”'],
    ['missing key at the top', z.object({ a: z.string() }), 'b: 1', '第 1 行第 1 列：缺少必填的键“a”'],
    ['unknown key', z.object({ a: z.string() }).strict(), 'a: x\nb: y\n', '第 2 行第 1 列：有不认识的键“b”（可用的键：a）'],
    [
      'misspelt key',
      z.object({ m: z.object({ top: z.number() }).strict() }),
      'm: {tpo: 1}',
      '第 1 行第 5 列：m 有不认识的键“tpo”（可用的键：top）',
    ],
    [
      'a key that is a number',
      z.object({ d: z.object({ '2024': z.array(z.string()) }) }),
      'd:\n  2024: x\n',
      '第 2 行第 9 列：d.2024 应为列表，实际为文字“x”',
    ],
    ['a key with no value', z.object({ a: z.string() }), 'a:\n', '第 1 行第 1 列：a 应为文字，实际为空值'],
    [
      'value through an alias',
      z.object({ x: z.unknown(), y: z.object({ n: z.number() }) }),
      'x: &v {n: 一}\ny: *v\n',
      '第 1 行第 11 列：y.n 应为数字，实际为文字“一”',
    ],
  ])('%s', (_, schema, text, expected) => {
    expect(said(problemOf(text, schema))).toBe(expected);
  });

  test('a message the schema gives itself is kept, with the value found', () => {
    const schema = z.object({ code: z.string().regex(/^\d{6}$/, '区划代码应为 6 位数字') });
    expect(said(problemOf("code: '4502'", schema))).toBe('第 1 行第 7 列：code 区划代码应为 6 位数字，实际为“4502”');
  });

  test('the key path is part of the problem', () => {
    expect(problemOf('a:\n  b: x\n', z.object({ a: z.object({ b: z.number() }) }))).toMatchObject({ key: 'a.b', line: 2, column: 6 });
  });
});

describe('YAML syntax in Chinese', () => {
  const any = z.unknown();
  test.each([
    ['a: "x\nb: 1\n', 'YAML 语法错误：引号没有闭合'],
    ['a: 1\na: 2\n', 'YAML 语法错误：键重复（同一层的键只能出现一次）'],
    ['a:\n\tb: 1\n', 'YAML 语法错误：不能用 Tab 缩进，请改用空格'],
    ['a: [1, 2\n', 'YAML 语法错误：方括号或花括号没有闭合（缺少“]”或“}”），或其中换行后的内容缩进不足'],
    ['a: @x\n', 'YAML 语法错误：值不能以这个字符开头，请给值加上引号'],
    ['a: 1\n---\nb: 2\n', 'YAML 语法错误：文件中只能有一个 YAML 文档（多了一行“---”）'],
    ['a: *nothing\n', '别名“*nothing”之前没有定义锚点“&nothing”'],
  ])('%j', (text, message) => {
    const p = problemOf(text, any);
    expect(p.message).toBe(message);
    expect(p.line).toBeGreaterThan(0);
    expect(p.column).toBeGreaterThan(0);
  });

  test('a byte-order mark is no syntax error; << merges a mapping', () => {
    const { value } = parseYaml(
      '\ufeffa: &a {x: 1}\nb: {<<: *a, y: 2}\n',
      () => z.unknown(),
      (p) => new Error(p.message),
    );
    expect(value).toEqual({ a: { x: 1 }, b: { x: 1, y: 2 } });
  });
});

describe('a file whose value may come from the build (kind given)', () => {
  const schema = () => z.object({ a: z.object({ b: z.number() }) });
  const fail = (p: YamlProblem) => new Error(said(p));

  test('same value and places as a plain parse', () => {
    const text = 'a:\n  b: 2\n';
    const plain = parseYaml(text, schema, fail);
    const kinded = parseYaml(text, schema, fail, 'test-kind');
    expect(kinded.value).toEqual(plain.value);
    expect(kinded.placeOf(['a', 'b'])).toEqual(plain.placeOf(['a', 'b']));
    expect(kinded.placeOf(['a', 'b'])).toEqual({ line: 2, column: 6 });
  });

  test('problems are told as in a plain parse', () => {
    expect(() => parseYaml('a:\n  b: x\n', schema, fail, 'test-kind')).toThrow('第 2 行第 6 列：a.b 应为数字，实际为文字“x”');
  });
});
