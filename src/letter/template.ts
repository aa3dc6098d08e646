// Template (Handlebars text + layout YAML) → LetterDocument. One template drives both writers.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Handlebars from 'handlebars';
import { HazardNoticeError } from '../errors';
import { bundledPath } from '../package-root';
import { fromSource } from '../source-image';
import { formatChineseDate } from '../calendar/date';
import type { LetterData } from '../resolve/letter-data';
import type { LetterDocument, LetterSetOptions, PageLayout, Paragraph, ParagraphRole, QrCodeSpec, Run, Table, TableCell } from './model';
import type { TemplateSettings } from './template-settings';

export interface LetterTemplate {
  /** Stable id: the template's own id plus a hash of its files, e.g. liuzhou-annex2@3f2a9c1d0b4e. */
  id: string;
  dir: string;
  name: string;
  layout: PageLayout;
  maxHazards: number;
  maxDiseases: number;
  /** QR codes printed beside the signature block (template.yaml qrCodes; none when absent). */
  qrCodes: QrCodeSpec[];
  /** True when the text prints the document number ({{文号}}). */
  usesDocNumber: boolean;
  /** The letter's paragraphs for one context. */
  paragraphs: (context: TemplateContext) => Paragraph[];
  /** The extra pages the template has (template.yaml annex, receipt): their paragraphs and ruled form for one context. */
  pages: Partial<Record<ExtraPage, (context: TemplateContext) => PageContent>>;
  /** What it was made from: a letter worker makes its own from this (templateFrom), reading no file. */
  source: TemplateSource;
}

/** A template's files, read and their settings checked. */
export interface TemplateSource {
  dir: string;
  hbs: string;
  settings: TemplateSettings;
  /** SHA-256 of template.hbs, template.yaml and the extra pages' files, first 12 hex digits. */
  hash: string;
  /** template.hbs compiled to JavaScript (Handlebars' precompiled form). */
  spec: string;
  /** The extra pages' files (named in template.yaml), read and precompiled. */
  pages: Partial<Record<ExtraPage, { file: string; hbs: string; spec: string }>>;
}

/** Pages a letter set may have after the letter, in this order: 附件1 (legal basis), 送达回证 (proof of service). */
export const EXTRA_PAGES = ['annex', 'receipt'] as const;
export type ExtraPage = (typeof EXTRA_PAGES)[number];
const PAGE_NAMES: Record<ExtraPage, string> = { annex: '附件1', receipt: '送达回证' };

/** A page's text as the template gives it: paragraphs, then (a form) its ruled table. */
export interface PageContent {
  paragraphs: Paragraph[];
  table?: Table;
}

/** The fields a template may use (documented in README). */
export interface TemplateContext {
  单位名称: string;
  统一社会信用代码: string;
  门类: string;
  大类: string;
  中类: string;
  小类: string;
  门类代码: string;
  大类代码: string;
  中类代码: string;
  小类代码: string;
  风险等级: string;
  危害因素: string[];
  职业病: string[];
  职业病目录: string;
  区县: string;
  乡镇: string;
  地址: string;
  署名: string;
  联系方式: string;
  日期: string;
  文号: string;
  /** A follow-up letter's earlier notice and deadline (empty when the letter has none). */
  前次告知文号: string;
  前次告知日期: string;
  申报期限: string;
}

export const TEMPLATE_FIELDS = [
  '单位名称',
  '统一社会信用代码',
  '门类',
  '大类',
  '中类',
  '小类',
  '门类代码',
  '大类代码',
  '中类代码',
  '小类代码',
  '风险等级',
  '危害因素',
  '职业病',
  '职业病目录',
  '区县',
  '乡镇',
  '地址',
  '署名',
  '联系方式',
  '日期',
  '文号',
  '前次告知文号',
  '前次告知日期',
  '申报期限',
] as const satisfies readonly (keyof TemplateContext)[];

const ROLES: Record<string, ParagraphRole> = {
  标题: 'title',
  文号: 'docNumber',
  称谓: 'salutation',
  正文: 'body',
  署名: 'signature',
  日期: 'date',
  附件: 'annexLabel',
};

const DEFAULTS: Record<ParagraphRole, Pick<Paragraph, 'align' | 'indentChars' | 'rightIndentChars'>> = {
  title: { align: 'center', indentChars: 0, rightIndentChars: 0 },
  docNumber: { align: 'center', indentChars: 0, rightIndentChars: 0 },
  salutation: { align: 'left', indentChars: 0, rightIndentChars: 0 },
  body: { align: 'justify', indentChars: 2, rightIndentChars: 0 },
  signature: { align: 'right', indentChars: 0, rightIndentChars: 2 },
  date: { align: 'right', indentChars: 0, rightIndentChars: 0 },
  annexLabel: { align: 'left', indentChars: 0, rightIndentChars: 0 },
  cell: { align: 'left', indentChars: 0, rightIndentChars: 0 },
};

const ALIGN: Record<string, Paragraph['align']> = { 居中: 'center', 居左: 'left', 居右: 'right', 两端: 'justify' };

// Markers for underlined fills in the rendered text: SO field US value SI.
const FILL_START = '\u000E';
const FILL_SEP = '\u001F';
const FILL_END = '\u000F';
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001F\u007F]/g;
const FILL = new RegExp(`${FILL_START}([^${FILL_SEP}]*)${FILL_SEP}([^${FILL_END}]*)${FILL_END}`, 'g');
const DIRECTIVE = /^@(\S+)(.*)$/;

function fill(field: string, value: unknown, line: number | undefined): string {
  const text = String(value ?? '')
    .replace(CONTROL_CHARS, '')
    .trim();
  if (!text) {
    throw new HazardNoticeError('E_FIELD_EMPTY', `模板第 ${line ?? '?'} 行的填空“${field}”没有内容，告知单不能留空`, { field });
  }
  return `${FILL_START}${field}${FILL_SEP}${text}${FILL_END}`;
}

/**
 * {{填 字段}} / {{列 字段}}: the field's own name is taken from the source, so the helpers are
 * registered per field by rewriting `{{填 X}}` → `{{填__X X}}` before compiling.
 */
function rewrite(source: string): string {
  return source.replace(/\{\{\s*(填|列)\s+([^\s{}]+)\s*\}\}/g, (_, kind: string, field: string) => `{{${kind}__${field} ${field}}}`);
}

/**
 * The template text compiled to JavaScript (Handlebars' precompiled form), by the full Handlebars (compiler); for a
 * bundled template, the build's (source-image.ts).
 */
function precompile(source: string, file: string): string {
  const rewritten = rewrite(source);
  return fromSource('handlebars', rewritten, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiler loads only where a template is compiled
    const { precompile } = require('handlebars') as typeof Handlebars;
    try {
      return precompile(rewritten, { strict: true, noEscape: true, knownHelpersOnly: false }) as string;
    } catch (e) {
      throw new HazardNoticeError('E_TEMPLATE_SYNTAX', `模板“${file}”语法错误：${(e as Error).message}`);
    }
  });
}

/** The precompiled template (`spec`, of `source`) made runnable by Handlebars' runtime: a letter worker loads no compiler. */
function compile(source: string, spec: string, file: string): (context: TemplateContext) => string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the runtime only (the full package's types)
  const hb = (require('handlebars/runtime') as typeof Handlebars).create();
  const lineOf = (options: Handlebars.HelperOptions) => (options as unknown as { loc?: { start: { line: number } } }).loc?.start.line;
  const rewritten = rewrite(source);
  // Only the helpers the text names: every render copies and wraps each registered helper.
  const register = (name: string, helper: Handlebars.HelperDelegate) => {
    if (rewritten.includes(name)) hb.registerHelper(name, helper);
  };
  for (const field of TEMPLATE_FIELDS) {
    register(`填__${field}`, (value: unknown, options: Handlebars.HelperOptions) => fill(field, value, lineOf(options)));
    register(`列__${field}`, (value: unknown, options: Handlebars.HelperOptions) => {
      const items = Array.isArray(value) ? value : [value];
      if (items.length === 0) return fill(field, '', lineOf(options));
      return items.map((v) => fill(field, v, lineOf(options))).join('、');
    });
  }
  // {{空 N}}: an underlined blank of N characters, for what the bureau writes in by hand (a deadline it has not set).
  register('空', (n: unknown, options: Handlebars.HelperOptions) => {
    const count = Number(n);
    if (!Number.isInteger(count) || count < 1 || count > 20) {
      const at = `模板“${file}”第 ${lineOf(options) ?? '?'} 行`;
      throw new HazardNoticeError('E_TEMPLATE_SYNTAX', `${at}：{{空 N}} 的 N 应为 1 到 20 的整数，实际为“${String(n)}”`);
    }
    return `${FILL_START}空${FILL_SEP}${'\u3000'.repeat(count)}${FILL_END}`;
  });
  // Handlebars' own precompiled output, run as hb.compile runs it.
  const template = hb.template(new Function(`return ${spec}`)() as TemplateSpecification) as HandlebarsTemplateDelegate;
  return (context) => {
    try {
      return template(context);
    } catch (e) {
      if (e instanceof HazardNoticeError) throw e;
      const msg = (e as Error).message;
      const unknown = /^"(.+?)" not defined in .* - (\d+):(\d+)/.exec(msg);
      if (unknown) {
        const field = unknown[1].replace(/^(填|列)__/, '');
        throw new HazardNoticeError(
          'E_TEMPLATE_FIELD',
          `模板“${file}”第 ${unknown[2]} 行引用了未知字段“${field}”（可用字段：${TEMPLATE_FIELDS.join('、')}）`,
          { field, line: Number(unknown[2]) },
        );
      }
      throw new HazardNoticeError('E_TEMPLATE_RENDER', `模板“${file}”无法生成：${msg}`);
    }
  };
}

/** A context with every field filled, used to validate a template when it is loaded. */
function probeContext(): TemplateContext {
  const ctx = Object.fromEntries(TEMPLATE_FIELDS.map((f) => [f, f])) as unknown as TemplateContext;
  ctx.危害因素 = ['危害因素'];
  ctx.职业病 = ['职业病'];
  return ctx;
}

export const DEFAULT_TEMPLATE_DIR = 'templates/default';

export function loadTemplate(dir?: string): LetterTemplate {
  return templateFrom(readTemplateSource(dir));
}

function readTemplateSource(dir?: string): TemplateSource {
  const templateDir = dir ?? bundledPath(DEFAULT_TEMPLATE_DIR);
  const hbsFile = path.join(templateDir, 'template.hbs');
  const yamlFile = path.join(templateDir, 'template.yaml');
  const read = (f: string) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      throw new HazardNoticeError('E_TEMPLATE_READ', `无法读取模板文件“${f}”（模板目录应包含 template.hbs 和 template.yaml）`);
    }
  };
  const hbs = read(hbsFile);
  const yamlText = read(yamlFile);
  // The YAML reader and zod load only here: a letter worker makes its template from a source (templateFrom).
  const { parseTemplateSettings } = require('./template-settings') as typeof import('./template-settings');
  const settings = parseTemplateSettings(yamlText, yamlFile);
  const hash = crypto.createHash('sha256').update(hbs).update('\0').update(yamlText);
  const pages: TemplateSource['pages'] = {};
  for (const page of EXTRA_PAGES) {
    const file = settings[page];
    if (file === undefined) continue;
    const pageHbs = read(path.join(templateDir, file));
    hash.update(`\0${page}\0`).update(pageHbs);
    pages[page] = { file, hbs: pageHbs, spec: precompile(pageHbs, path.join(templateDir, file)) };
  }
  return { dir: templateDir, hbs, settings, hash: hash.digest('hex').slice(0, 12), spec: precompile(hbs, hbsFile), pages };
}

/** The template of files already read and checked (readTemplateSource). */
export function templateFrom(source: TemplateSource): LetterTemplate {
  const { hbs, settings } = source;
  const hbsFile = path.join(source.dir, 'template.hbs');
  const render = compile(hbs, source.spec, hbsFile);
  const heads = new Map<string, Head>();
  const paragraphs = (context: TemplateContext) => parsePage(render(context), hbsFile, heads, false).paragraphs;
  paragraphs(probeContext()); // fails now on unknown fields, roles or options
  const pages: LetterTemplate['pages'] = {};
  for (const page of EXTRA_PAGES) {
    const pageSource = source.pages[page];
    if (!pageSource) continue;
    const file = path.join(source.dir, pageSource.file);
    const renderPage = compile(pageSource.hbs, pageSource.spec, file);
    const pageHeads = new Map<string, Head>();
    pages[page] = (context) => parsePage(renderPage(context), file, pageHeads, true, settings.layout.charsPerLine);
    pages[page](probeContext());
  }
  return {
    id: `${settings.id}@${source.hash}`,
    dir: source.dir,
    name: settings.name,
    layout: settings.layout,
    maxHazards: settings.maxHazards,
    maxDiseases: settings.maxDiseases,
    qrCodes: settings.qrCodes ?? [],
    usesDocNumber: /\{\{[^}]*文号[^}]*\}\}/.test(hbs.replace(/\{\{!--[\s\S]*?--\}\}/g, '')),
    paragraphs,
    pages,
    source,
  };
}

function parseRuns(text: string): Run[] {
  const runs: Run[] = [];
  let last = 0;
  FILL.lastIndex = 0;
  for (let m = FILL.exec(text); m; m = FILL.exec(text)) {
    if (m.index > last) runs.push({ text: text.slice(last, m.index) });
    runs.push({ text: m[2], underline: true, field: m[1] });
    last = FILL.lastIndex;
  }
  if (last < text.length) runs.push({ text: text.slice(last) });
  return runs;
}

type ParagraphHead = Omit<Paragraph, 'runs'>;

/** A directive line's role and options, undefined when the line is no directive. */
function parseHead(line: string, file: string): ParagraphHead | undefined {
  const directive = DIRECTIVE.exec(line);
  if (!directive) return undefined;
  const role = ROLES[directive[1]];
  if (!role)
    throw new HazardNoticeError(
      'E_TEMPLATE_SYNTAX',
      `模板“${file}”：未知的段落角色“@${directive[1]}”（可用：${Object.keys(ROLES)
        .map((r) => `@${r}`)
        .join(' ')}）`,
    );
  const head: ParagraphHead = { role, ...DEFAULTS[role], spaceBeforeLines: 0 };
  for (const opt of directive[2].trim().split(/\s+/).filter(Boolean)) {
    const [key, value] = opt.split('=');
    const n = Number(value);
    if (key === '空行' && Number.isInteger(n) && n >= 0 && n <= 5) head.spaceBeforeLines = n;
    else if (key === '缩进' && Number.isInteger(n) && n >= 0 && n <= 10) head.indentChars = n;
    else if (key === '右空' && Number.isInteger(n) && n >= 0 && n <= 10) head.rightIndentChars = n;
    else if (key === '对齐' && ALIGN[value]) head.align = ALIGN[value];
    else
      throw new HazardNoticeError(
        'E_TEMPLATE_SYNTAX',
        `模板“${file}”：段落“@${directive[1]}”的选项“${opt}”无效（可用：空行=N、缩进=N、右空=N、对齐=居中|居左|居右|两端）`,
      );
  }
  return head;
}

type CellHead = Pick<TableCell, 'widthChars' | 'align'>;
type Head = ParagraphHead | { row: number } | { cell: CellHead };

const CELL_ALIGN: Record<string, TableCell['align']> = { 居中: 'center', 居左: 'left', 居右: 'right' };

function syntaxError(file: string, message: string): HazardNoticeError {
  return new HazardNoticeError('E_TEMPLATE_SYNTAX', `模板“${file}”：${message}`);
}

/** A form's row (@行 高=N) or cell (@格 宽=N 对齐=…) directive; undefined for any other line. */
function parseFormHead(line: string, file: string): Head | undefined {
  const directive = DIRECTIVE.exec(line);
  if (!directive || (directive[1] !== '行' && directive[1] !== '格')) return undefined;
  const isRow = directive[1] === '行';
  let height = 1;
  const cell: CellHead = { widthChars: 0, align: 'left' };
  for (const opt of directive[2].trim().split(/\s+/).filter(Boolean)) {
    const [key, value] = opt.split('=');
    const n = Number(value);
    if (isRow && key === '高' && Number.isFinite(n) && n >= 1 && n <= 10 && Number.isInteger(n * 2)) height = n;
    else if (!isRow && key === '宽' && Number.isInteger(n) && n >= 1) cell.widthChars = n;
    else if (!isRow && key === '对齐' && CELL_ALIGN[value]) cell.align = CELL_ALIGN[value];
    else
      throw syntaxError(
        file,
        isRow
          ? `表格行“@行”的选项“${opt}”无效（可用：高=N，N 为 1 到 10 行，可为半行如 1.5）`
          : `表格单元“@格”的选项“${opt}”无效（可用：宽=N 字、对齐=居中|居左|居右）`,
      );
  }
  if (isRow) return { row: height };
  if (cell.widthChars === 0) throw syntaxError(file, '表格单元“@格”须写明宽度，如“@格 宽=7”');
  return { cell };
}

/**
 * A rendered page: paragraphs (each opened by an @角色 line), then, where `form` allows, a ruled table: @行 opens a row,
 * @格 a cell in it; each text line after @格 is a line of that cell. `heads`: directive lines parsed so far (the same
 * handful for every letter).
 */
function parsePage(rendered: string, file: string, heads: Map<string, Head>, form: boolean, charsPerLine = 0): PageContent {
  const paragraphs: Paragraph[] = [];
  let table: Table | undefined;
  let head: ParagraphHead | undefined;
  let cell: TableCell | undefined;
  let text = ''; // trimmed lines joined, so itself trimmed
  const flush = () => {
    if (head && text) {
      // Spelt out: a spread plus a property is a slow path in V8.
      const { role, align, indentChars, rightIndentChars, spaceBeforeLines } = head;
      paragraphs.push({ role, align, indentChars, rightIndentChars, spaceBeforeLines, runs: parseRuns(text) });
    }
    text = '';
  };
  for (const raw of rendered.split('\n')) {
    const line = raw.trim(); // also drops the \r of \r\n
    if (!line) continue;
    let lineHead = line.startsWith('@') ? heads.get(line) : undefined;
    if (!lineHead && line.startsWith('@')) {
      lineHead = (form ? parseFormHead(line, file) : undefined) ?? parseHead(line, file);
      if (lineHead) heads.set(line, lineHead);
    }
    if (lineHead && 'row' in lineHead) {
      flush();
      head = undefined;
      cell = undefined;
      table ??= { rows: [] };
      table.rows.push({ heightLines: lineHead.row, cells: [] });
    } else if (lineHead && 'cell' in lineHead) {
      const row = table?.rows[table.rows.length - 1];
      if (!row) throw syntaxError(file, '“@格”前缺少表格行“@行”');
      cell = { ...lineHead.cell, lines: [] };
      row.cells.push(cell);
    } else if (lineHead) {
      if (table) throw syntaxError(file, `表格之后不能再有段落（“${line}”）`);
      flush();
      head = lineHead;
    } else if (cell) {
      cell.lines.push(parseRuns(line));
    } else {
      if (!head || table)
        throw syntaxError(file, `文字“${line.slice(0, 20)}”前缺少段落角色行（如 @正文）${form ? '或表格单元行“@格”' : ''}`);
      text += line;
    }
  }
  flush();
  if (table) checkTable(table, file, charsPerLine);
  return table ? { paragraphs, table } : { paragraphs };
}

/** Every row has cells and spans the same width, at most the grid's characters per line. */
function checkTable(table: Table, file: string, charsPerLine: number): void {
  const widths = table.rows.map((r) => r.cells.reduce((w, c) => w + c.widthChars, 0));
  const bad = widths.findIndex((w) => w === 0 || w !== widths[0] || w > charsPerLine);
  if (bad >= 0) {
    throw syntaxError(
      file,
      `表格第 ${bad + 1} 行的单元宽度合计为 ${widths[bad]} 字；每行须至少有一个“@格”，各行合计相同（第 1 行为 ${widths[0]} 字），且不超过每行 ${charsPerLine} 字`,
    );
  }
}

export function templateContext(template: LetterTemplate, data: LetterData): TemplateContext {
  const { industry } = data;
  return {
    单位名称: data.employer.name,
    统一社会信用代码: data.employer.uscc ?? '',
    门类: industry.section.name,
    大类: industry.division.name,
    中类: industry.group.name,
    小类: industry.class?.name ?? '',
    门类代码: industry.section.code,
    大类代码: industry.division.code,
    中类代码: industry.group.code,
    小类代码: industry.class?.code ?? '',
    风险等级: industry.risk,
    危害因素: data.hazards.slice(0, template.maxHazards).map((h) => h.name),
    职业病: data.diseases.slice(0, template.maxDiseases).map((d) => d.name),
    职业病目录: data.diseaseCatalogue.docNumber,
    区县: data.bureau.countyName,
    乡镇: data.employer.township ?? '',
    地址: data.employer.address ?? '',
    署名: data.bureau.name,
    联系方式: data.bureau.contact ?? '',
    日期: formatChineseDate(data.date),
    文号: data.docNumber ?? '',
    前次告知文号: data.followUp?.previous?.docNumber ?? '',
    前次告知日期: data.followUp?.previous ? formatChineseDate(data.followUp.previous.date) : '',
    申报期限: data.followUp?.deadline ? formatChineseDate(data.followUp.deadline) : '',
  };
}

/** The language every letter is written in (document metadata, DOCX proofing language). */
export const LETTER_LANGUAGE = 'zh-CN';

function documentMeta(data: LetterData): LetterDocument['meta'] {
  const keywords = ['职业病危害项目申报', data.employer.name];
  if (data.employer.uscc) keywords.push(data.employer.uscc);
  if (data.docNumber) keywords.push(data.docNumber);
  return {
    title: `职业病危害项目申报告知单（${data.employer.name}）`,
    author: data.bureau.name,
    subject: '职业病危害项目申报告知',
    keywords,
    language: LETTER_LANGUAGE,
    date: data.date,
    ...(data.docNumber ? { identifier: data.docNumber } : {}),
  };
}

/** The letter's own page (without the pages after it). */
export function buildLetterDocument(template: LetterTemplate, data: LetterData): LetterDocument {
  return buildLetterSet(template, data, {})[0];
}

/**
 * The letter's documents, one per page: the letter, then each extra page asked for (annex, receipt) in that order,
 * all with the letter's metadata. A page the template has no file for is E_TEMPLATE_PAGE.
 */
export function buildLetterSet(template: LetterTemplate, data: LetterData, options: LetterSetOptions): LetterDocument[] {
  checkTemplatePages(template, options);
  const context = templateContext(template, data);
  const meta = documentMeta(data);
  const letter: LetterDocument = { meta, layout: template.layout, paragraphs: template.paragraphs(context), seal: data.bureau.seal };
  if (template.qrCodes.length > 0) letter.qrCodes = template.qrCodes;
  const docs = [letter];
  for (const page of EXTRA_PAGES) if (options[page]) docs.push({ meta, layout: template.layout, ...template.pages[page]!(context) });
  return docs;
}

/** E_TEMPLATE_PAGE when `options` asks for a page the template has no file for. */
export function checkTemplatePages(template: LetterTemplate, options: LetterSetOptions): void {
  const missing = EXTRA_PAGES.find((page) => options[page] && !template.pages[page]);
  if (missing) {
    throw new HazardNoticeError(
      'E_TEMPLATE_PAGE',
      `模板“${template.dir}”没有${PAGE_NAMES[missing]}页：请在其 template.yaml 中用“${missing}: 文件名.hbs”指定模板文件`,
      { page: missing },
    );
  }
}
