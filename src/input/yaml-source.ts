// YAML input: a top-level block sequence of mappings (or a stream of documents, each one mapping),
// split into items at top-level "- " lines; each item is parsed alone with the failsafe schema so
// every value stays exactly as typed (no number or date conversion).

import YAML from 'yaml';
import { HazardNoticeError } from '../errors';
import type { KeyedElement } from './keyed';
import { textBlocks } from './text-file';

interface YamlItem {
  line: number;
  text: string;
  /** 'sequence': text is "- …" (one-element sequence); 'document': text is a whole document's mapping. */
  kind: 'sequence' | 'document';
}

const DOC_START = /^---(\s|$)/;
const DOC_END = /^\.\.\.(\s|$)/;
const ITEM = /^( *)-( |$)/;
const IGNORABLE = /^\s*(#.*)?$/;

/** Splits the file into top-level items without parsing them. */
export async function* yamlItems(file: string): AsyncGenerator<YamlItem> {
  let itemIndent: number | undefined;
  let current: YamlItem | undefined;
  let lines: string[] = [];
  let carry = '';
  let lineNo = 0;
  const flush = (): YamlItem | undefined => {
    if (!current) return undefined;
    const item = { ...current, text: lines.join('\n') };
    current = undefined;
    lines = [];
    return item;
  };
  const notList = (line: number) =>
    new HazardNoticeError('E_INPUT_FORMAT', `YAML 文件“${file}”第 ${line} 行：顶层应为列表，每个单位以“- ”开头（如“- 单位名称: …”）`, { file, line });

  const handle = (text: string): YamlItem | undefined => {
    lineNo++;
    if (DOC_START.test(text) || DOC_END.test(text)) {
      const done = flush();
      const rest = text.slice(3).trim();
      if (DOC_START.test(text) && rest !== '' && !rest.startsWith('#')) throw notList(lineNo);
      return done;
    }
    if (text.startsWith('%') && !current) return undefined; // directive
    const item = ITEM.exec(text);
    if (item && (itemIndent === undefined || item[1].length === itemIndent) && current?.kind !== 'document') {
      itemIndent ??= item[1].length;
      const done = flush();
      current = { line: lineNo, text: '', kind: 'sequence' };
      lines.push(text);
      return done;
    }
    if (current) {
      lines.push(text);
      return undefined;
    }
    if (IGNORABLE.test(text)) return undefined;
    if (/^[^\s\-[{]/.test(text) && itemIndent === undefined) {
      current = { line: lineNo, text: '', kind: 'document' };
      lines.push(text);
      return undefined;
    }
    throw notList(lineNo);
  };

  for await (const text of textBlocks(file, 'utf-8')) {
    const parts = (carry + text).split('\n');
    carry = parts.pop() ?? '';
    for (const part of parts) {
      const done = handle(part.replace(/\r$/, ''));
      if (done) yield done;
    }
  }
  if (carry !== '') {
    const done = handle(carry.replace(/\r$/, ''));
    if (done) yield done;
  }
  const last = flush();
  if (last) yield last;
}

const YAML_NULLS = new Set(['~', 'null', 'Null', 'NULL']);

/** Failsafe parsing keeps scalars as strings; YAML's own null spellings become empty. */
function withoutNulls(value: unknown): unknown {
  if (typeof value === 'string') return YAML_NULLS.has(value) ? null : value;
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNulls(v)]));
  return value;
}

export async function* yamlElements(file: string): AsyncGenerator<KeyedElement> {
  let row = 0;
  for await (const item of yamlItems(file)) {
    row++;
    let parsed: unknown;
    try {
      parsed = YAML.parse(item.text, { schema: 'failsafe', uniqueKeys: true });
    } catch (e) {
      yield { row, line: item.line, code: 'E_ROW_SYNTAX', reason: `不是有效的 YAML（${(e as Error).message.split(' at line ')[0]}）` };
      continue;
    }
    const value = item.kind === 'sequence' ? (parsed as unknown[])[0] : parsed;
    yield { row, line: item.line, value: withoutNulls(value ?? null) };
  }
}
