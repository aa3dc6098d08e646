// One loader for every YAML file people write (region config, template settings, column maps, knowledge-base data):
// parsed with node positions, validated with zod, every problem told in Chinese with line, column, key and value.

import type { Document, LineCounter, YAMLError } from 'yaml';
import type { Schema } from './lazy-schema';
import { HazardNoticeError } from '../errors';
import { fromSource } from '../source-image';
import { checkSchema, type ValuePath } from './schema-problem';

export type { ValuePath } from './schema-problem';

/** 1-based line and column. */
export interface YamlPlace {
  line: number;
  column: number;
}

/** What is wrong in a file and where; `message` names the key (if any) and says what was expected and found. */
export interface YamlProblem extends Partial<YamlPlace> {
  key?: string;
  message: string;
}

export interface YamlData<T> {
  value: T;
  /** Where the value at `path` (or its nearest existing parent) is written; `atKey`: where its key is. */
  placeOf(path: ValuePath, atKey?: boolean): YamlPlace | undefined;
}

/** Options every user-written YAML file is parsed with: duplicate keys are errors, `<<: *anchor` merges. */
export const YAML_OPTIONS = { uniqueKeys: true, merge: true } as const;

/** "第 3 行第 5 列", "第 3 行" or "". */
export function placeText(line?: number, column?: number): string {
  if (line === undefined) return '';
  return column === undefined ? `第 ${line} 行` : `第 ${line} 行第 ${column} 列`;
}

const SYNTAX_REASONS: Partial<Record<YAMLError['code'], string>> = {
  ALIAS_PROPS: '别名（*名称）不能带锚点或标签',
  BAD_ALIAS: '别名（*名称）无效',
  BAD_DIRECTIVE: '以 % 开头的指令行无效',
  BAD_DQ_ESCAPE: '双引号内的转义序列（\\…）无效',
  BAD_INDENT: '缩进不正确（同一层的键或“- ”须从同一列开始，下一层须多缩进）',
  BAD_PROP_ORDER: '锚点和标签应写在值的前面',
  BAD_SCALAR_START: '值不能以这个字符开头，请给值加上引号',
  BLOCK_AS_IMPLICIT_KEY: '键的写法不对（同一行里不能再嵌套“键: 值”或“- ”）',
  BLOCK_IN_FLOW: '方括号或花括号内不能换行写“- ”或“键: 值”块',
  DUPLICATE_KEY: '键重复（同一层的键只能出现一次）',
  KEY_OVER_1024_CHARS: '键超过 1024 个字符',
  MULTILINE_IMPLICIT_KEY: '键须写在一行之内（或缺少冒号“:”）',
  MULTIPLE_ANCHORS: '一个值只能有一个锚点（&名称）',
  MULTIPLE_DOCS: '文件中只能有一个 YAML 文档（多了一行“---”）',
  MULTIPLE_TAGS: '一个值只能有一个标签（!名称）',
  NON_STRING_KEY: '键应为文字',
  TAB_AS_INDENT: '不能用 Tab 缩进，请改用空格',
  TAG_RESOLVE_FAILED: '无法识别的标签（!名称）',
  UNEXPECTED_TOKEN: '此处有多余或不合语法的内容',
};

/** Reasons told by the message rather than the code. */
const MESSAGE_REASONS: [RegExp, string][] = [
  [/must be sufficiently indented and end with a [\]}]/, '方括号或花括号没有闭合（缺少“]”或“}”），或其中换行后的内容缩进不足'],
  [/closing .?quote/, '引号没有闭合'],
  [/Implicit map keys need to be followed by map values/, '键的后面缺少冒号“:”（写作“键: 值”）'],
  [/Missing space after :/, '冒号“:”后面缺少空格'],
  [/Missing , /, '方括号或花括号中的各项之间缺少逗号'],
  [/Comments must be separated/, '注释符“#”前面须有空格'],
  [/Tags and anchors must be separated/, '锚点或标签后面须有空格'],
];

/** A YAML syntax error in Chinese. */
export function syntaxReason(error: YAMLError): string {
  const hit = MESSAGE_REASONS.find(([re]) => re.test(error.message));
  const missing = error.code === 'MISSING_CHAR' ? '缺少必要的字符（引号、括号、冒号或逗号）' : undefined;
  return `YAML 语法错误：${hit?.[1] ?? missing ?? SYNTAX_REASONS[error.code] ?? error.message.split(' at line ')[0]}`;
}

/** Why toJS gave up (aliases nested too deep, a merge of something that is not a mapping), in Chinese. */
export function expansionReason(error: Error): string {
  if (/Excessive alias count/.test(error.message)) return '别名（*名称）展开过多，文件可能是恶意构造的';
  if (/Merge sources must be maps/.test(error.message)) return '“<<”合并的应为映射（“键: 值”）或指向映射的别名';
  return `YAML 无法展开：${error.message}`;
}

/** The yaml package, loaded when a file is parsed (not when its value comes from the build's image). */
type YamlModule = typeof import('yaml');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first parse only
const yamlModule = (): YamlModule => require('yaml') as YamlModule;

/** Walks `path` through the document's nodes (following aliases) as far as it exists. */
function placeFinder(doc: Document, lineCounter: LineCounter, { isAlias, isMap, isNode, isScalar, isSeq }: YamlModule) {
  const keyText = (key: unknown) => String(isScalar(key) ? key.value : key);
  const at = (offset: number): YamlPlace => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return (path: ValuePath, atKey = false): YamlPlace | undefined => {
    let node: unknown = doc.contents;
    let place = isNode(node) && node.range ? at(node.range[0]) : undefined;
    for (const [i, step] of path.entries()) {
      if (isAlias(node)) node = node.resolve(doc);
      let key: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(step));
        key = pair?.key;
        node = pair?.value;
      } else if (isSeq(node) && typeof step === 'number') {
        node = node.items[step];
      } else {
        break;
      }
      const last = i === path.length - 1;
      const target = (last && atKey) || !(isNode(node) && node.range) || (isScalar(node) && node.value === null) ? key : node;
      if (!(isNode(target) && target.range)) break;
      place = at(target.range[0]);
    }
    return place;
  };
}

/**
 * Parses and validates YAML text. Syntax errors, unknown aliases and schema violations become `fail(problem)`,
 * which the caller turns into its own error (code and file kind). With `kind` (one per schema), the value of a
 * bundled file comes from the build's image (source-image.ts) and the text is parsed only when a place is asked for.
 */
export function parseYaml<T>(text: string, schema: Schema<T>, fail: (problem: YamlProblem) => Error, kind?: string): YamlData<T> {
  if (kind === undefined) return parseYamlText(text, schema, fail);
  let parsed: YamlData<T> | undefined;
  const parse = () => (parsed ??= parseYamlText(text, schema, fail));
  const value = fromSource(`yaml:${kind}`, text, () => parse().value);
  return { value, placeOf: (path, atKey) => parse().placeOf(path, atKey) };
}

function parseYamlText<T>(text: string, schema: Schema<T>, fail: (problem: YamlProblem) => Error): YamlData<T> {
  const yaml = yamlModule();
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text.replace(/^\uFEFF/, ''), { ...YAML_OPTIONS, lineCounter });
  const [error] = doc.errors;
  if (error) {
    const pos = error.linePos?.[0];
    throw fail({ line: pos?.line, column: pos?.col, message: syntaxReason(error) });
  }
  const placeOf = placeFinder(doc, lineCounter, yaml);
  yaml.visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc)) return;
      const { line, col } = lineCounter.linePos(alias.range?.[0] ?? 0);
      throw fail({ line, column: col, message: `别名“*${alias.source}”之前没有定义锚点“&${alias.source}”` });
    },
  });
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (e) {
    throw fail({ message: expansionReason(e as Error) });
  }
  const checked = checkSchema(schema, raw);
  if (!checked.ok) {
    const { path, atKey, message } = checked.problem;
    throw fail({ ...placeOf(path, atKey), key: path.join('.'), message });
  }
  return { value: checked.value, placeOf: (path, atKey) => placeOf(path, atKey) };
}

/** `fail` for a file the user names: `<title>“<file>”第 L 行第 C 列：<message>` as a HazardNoticeError with `code`. */
export function yamlFileError(code: string, title: string, file: string): (problem: YamlProblem) => HazardNoticeError {
  return (p) => new HazardNoticeError(code, `${title}“${file}”${placeText(p.line, p.column)}：${p.message}`, { file, ...p });
}
