// YAML input, read item by item so a long list is never held whole: a top-level block sequence split at its
// "- " lines, a stream of documents (each one mapping), or a top-level flow sequence ([…]) split at its commas
// by the yaml package's own lexer. Each item is parsed alone with the failsafe schema so every value stays
// exactly as typed (no number or date conversion). Anchors defined in one item may be used by aliases in the
// items after it (as YAML allows within one document): their values are carried from item to item.

import YAML, { CST, Lexer, YAMLSeq, isAlias, visit, type Document, type Node } from 'yaml';
import { HazardNoticeError } from '../errors';
import { YAML_OPTIONS, expansionReason, syntaxReason } from '../yaml-file/yaml-file';
import type { KeyedElement } from './keyed';
import { textBlocks } from './text-file';

interface YamlItem {
  line: number;
  text: string;
  /** 'sequence': "- …" (one-element sequence); 'document': a whole document's mapping; 'flow': one element of […]. */
  kind: 'sequence' | 'document' | 'flow';
  /** Which YAML document of the stream the item is in (counted at "---" and "..."): anchors do not cross documents. */
  document?: number;
}

const DOC_START = /^---(\s|$)/;
const DOC_END = /^\.\.\.(\s|$)/;
const ITEM = /^( *)-( |$)/;
const IGNORABLE = /^\s*(#.*)?$/;
const FLOW_START = /^\s*\[/;

function syntaxError(file: string, line: number, reason: string): HazardNoticeError {
  return new HazardNoticeError('E_INPUT_SYNTAX', `YAML 文件“${file}”第 ${line} 行：${reason}`, { file, line });
}

/** Splits a top-level flow sequence into the source text of its elements, tracking brackets over lexer tokens. */
class FlowListSplitter {
  private readonly lexer = new Lexer();
  private readonly open: { bracket: string; line: number }[] = [];
  private parts: string[] = [];
  private elementLine = 0;
  /** The top-level "]" has been seen. */
  closed = false;

  constructor(
    private readonly file: string,
    private line: number,
  ) {}

  *feed(text: string, last: boolean): Generator<YamlItem> {
    for (const token of this.lexer.lex(text, !last)) {
      yield* this.take(token);
      for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1)) this.line++;
    }
    if (last && !this.closed) {
      const start = this.open[0]?.line ?? this.line;
      throw syntaxError(this.file, start, `第 ${start} 行开始的列表“[”没有闭合（缺少“]”）`);
    }
  }

  private *take(token: string): Generator<YamlItem> {
    const type = CST.tokenType(token);
    if (type === 'doc-mode' || type === 'scalar' || type === 'byte-order-mark') return; // markers without source
    const blank = type === 'space' || type === 'newline' || type === 'comment';
    if (type === 'flow-error-end') throw syntaxError(this.file, this.line, '列表中的内容缩进不足，或列表闭合前出现了“---”或“...”');
    if (this.closed) {
      if (blank || type === 'doc-end') return;
      throw syntaxError(this.file, this.line, '顶层列表的“]”之后还有内容（只能有注释）');
    }
    const depth = this.open.length;
    if (depth === 0) {
      if (blank) return;
      if (type !== 'flow-seq-start') throw syntaxError(this.file, this.line, '顶层应为列表');
      this.open.push({ bracket: '[', line: this.line });
      return;
    }
    if (depth === 1 && (type === 'comma' || type === 'flow-seq-end')) {
      if (this.parts.length > 0) yield this.element();
      else if (type === 'comma') throw syntaxError(this.file, this.line, '列表中有空的一项（两个逗号之间或“[”之后没有内容）');
      if (type === 'flow-seq-end') {
        this.open.pop();
        this.closed = true;
      }
      return;
    }
    if (this.parts.length === 0) {
      if (blank) return;
      this.elementLine = this.line;
    }
    if (type === 'flow-seq-start' || type === 'flow-map-start') this.open.push({ bracket: token, line: this.line });
    if (type === 'flow-seq-end' || type === 'flow-map-end') {
      const opened = this.open[depth - 1];
      if (token !== (opened.bracket === '[' ? ']' : '}')) {
        throw syntaxError(this.file, this.line, `“${token}”与第 ${opened.line} 行的“${opened.bracket}”不配对`);
      }
      this.open.pop();
    }
    this.parts.push(token);
  }

  private element(): YamlItem {
    const item: YamlItem = { line: this.elementLine, text: this.parts.join('').trimEnd(), kind: 'flow' };
    this.parts = [];
    return item;
  }
}

/** Splits the file into top-level items without parsing them. */
export async function* yamlItems(file: string): AsyncGenerator<YamlItem> {
  let itemIndent: number | undefined;
  let current: YamlItem | undefined;
  let flow: FlowListSplitter | undefined;
  let began = false; // an item has started
  let lines: string[] = [];
  let carry = '';
  let lineNo = 0;
  let documentNo = 0;
  const flush = (): YamlItem | undefined => {
    if (!current) return undefined;
    const item = { ...current, text: lines.join('\n') };
    current = undefined;
    lines = [];
    return item;
  };
  const notList = (line: number) =>
    new HazardNoticeError('E_INPUT_FORMAT', `YAML 文件“${file}”第 ${line} 行：顶层应为列表，每个单位以“- ”开头（如“- 单位名称: …”）`, {
      file,
      line,
    });

  function* handle(text: string): Generator<YamlItem> {
    lineNo++;
    if (flow) {
      // The lexer, fed line by line, does not see a "---" or "..." at a line start as the end of the list; say it here.
      if (!flow.closed && (DOC_START.test(text) || DOC_END.test(text))) {
        throw syntaxError(file, lineNo, '列表闭合（“]”）之前出现了“---”或“...”');
      }
      return yield* flow.feed(`${text}\n`, false);
    }
    const startsFlow = !began;
    if (DOC_START.test(text) || DOC_END.test(text)) {
      const done = flush();
      if (done) yield done;
      documentNo++;
      const rest = text.slice(3);
      if (DOC_START.test(text) && startsFlow && FLOW_START.test(rest)) {
        flow = new FlowListSplitter(file, lineNo);
        yield* flow.feed(`${rest}\n`, false);
      } else if (DOC_START.test(text) && rest.trim() !== '' && !rest.trim().startsWith('#')) {
        throw notList(lineNo);
      }
      return;
    }
    if (text.startsWith('%') && !current) return; // directive
    const item = ITEM.exec(text);
    if (item && (itemIndent === undefined || item[1].length === itemIndent) && current?.kind !== 'document') {
      itemIndent ??= item[1].length;
      const done = flush();
      if (done) yield done;
      current = { line: lineNo, text: '', kind: 'sequence' };
      began = true;
      lines.push(text);
      return;
    }
    if (current) {
      lines.push(text);
      return;
    }
    if (IGNORABLE.test(text)) return;
    if (startsFlow && FLOW_START.test(text)) {
      flow = new FlowListSplitter(file, lineNo);
      yield* flow.feed(`${text}\n`, false);
      return;
    }
    if (/^[^\s\-[{]/.test(text) && itemIndent === undefined) {
      current = { line: lineNo, text: '', kind: 'document' };
      began = true;
      lines.push(text);
      return;
    }
    throw notList(lineNo);
  }

  for await (const text of textBlocks(file, 'utf-8')) {
    const parts = (carry + text).split('\n');
    carry = parts.pop() ?? '';
    for (const part of parts) for (const item of handle(part.replace(/\r$/, ''))) yield { ...item, document: documentNo };
  }
  if (carry !== '') for (const item of handle(carry.replace(/\r$/, ''))) yield { ...item, document: documentNo };
  if (flow) for (const item of flow.feed('', true)) yield { ...item, document: documentNo };
  const last = flush();
  if (last) yield { ...last, document: documentNo };
}

const YAML_NULLS = new Set(['~', 'null', 'Null', 'NULL']);

/** Failsafe parsing keeps scalars as strings; YAML's own null spellings become empty. */
function withoutNulls(value: unknown): unknown {
  if (typeof value === 'string') return YAML_NULLS.has(value) ? null : value;
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNulls(v)]));
  return value;
}

/** Most values one item may take in through aliases to earlier items (an employer has a dozen). */
export const MAX_BORROWED_VALUES = 10_000;

/** Number of values in `value` with shared parts counted each time, stopping once past `cap`. */
function expandedSize(value: unknown, cap: number): number {
  let n = 0;
  const walk = (v: unknown) => {
    if (n > cap) return;
    n++;
    if (v !== null && typeof v === 'object') for (const child of Object.values(v)) walk(child);
  };
  walk(value);
  return n;
}

type Parsed = { value: unknown } | { code: string; reason: string };

/** The value of an anchor whose item could not be read. */
const BROKEN = Symbol('broken anchor');

/**
 * Parses one item. `anchors` holds the values of anchors defined by earlier items of the same document; an alias
 * to one of them is served by placing a copy of that value, under its anchor, before the item.
 */
function parseItem(item: YamlItem, anchors: Map<string, unknown>): Parsed {
  const doc = YAML.parseDocument(item.text, { schema: 'failsafe', ...YAML_OPTIONS });
  if (doc.errors.length > 0) return { code: 'E_ROW_SYNTAX', reason: syntaxReason(doc.errors[0]) };
  const node = (item.kind === 'sequence' ? (doc.contents as YAMLSeq).items[0] : doc.contents) as Node | null;
  if (!node || !/[&*]/.test(item.text)) return { value: withoutNulls(node ? node.toJS(doc) : null) };
  const own = new Set<string>();
  const borrowed = new Set<string>();
  let problem: string | undefined;
  visit(node, {
    Node(_, n) {
      if (isAlias(n) && !own.has(n.source)) {
        const value = anchors.get(n.source);
        if (value === BROKEN) problem ??= `别名“*${n.source}”所指的锚点“&${n.source}”所在的项有错误`;
        else if (anchors.has(n.source)) borrowed.add(n.source);
        else problem ??= `别名“*${n.source}”之前没有定义锚点“&${n.source}”`;
      } else if (n.anchor) own.add(n.anchor);
    },
  });
  let size = 0;
  for (const name of borrowed) size += expandedSize(anchors.get(name), MAX_BORROWED_VALUES);
  if (size > MAX_BORROWED_VALUES) problem ??= `别名展开后超过 ${MAX_BORROWED_VALUES} 个值`;
  let value: unknown;
  if (!problem) {
    const seq = new YAMLSeq();
    for (const name of borrowed) {
      const copy = doc.createNode(anchors.get(name), { aliasDuplicateObjects: false });
      copy.anchor = name;
      seq.items.push(copy);
    }
    seq.items.push(node);
    (doc as Document).contents = seq;
    try {
      value = (doc.toJS() as unknown[]).at(-1);
      visit(node, {
        Node(_, n) {
          if (!isAlias(n) && n.anchor) anchors.set(n.anchor, n.toJS(doc));
        },
      });
    } catch (e) {
      problem = expansionReason(e as Error);
    }
  }
  if (problem) {
    for (const name of own) anchors.set(name, BROKEN);
    return { code: 'E_ROW_SYNTAX', reason: problem };
  }
  return { value: withoutNulls(value ?? null) };
}

export async function* yamlElements(file: string): AsyncGenerator<KeyedElement> {
  let row = 0;
  const anchors = new Map<string, unknown>();
  let document: number | undefined;
  for await (const item of yamlItems(file)) {
    row++;
    if (item.kind === 'document' || item.document !== document) anchors.clear(); // anchors do not cross documents
    document = item.document;
    yield { row, line: item.line, ...parseItem(item, anchors) };
  }
}
