// The batch: pass 1 streams the spreadsheet, validates and resolves every row into a scratch store;
// pass 2 goes county by county in route order, issues document numbers from the ledger, has the
// workers write letters and print volumes, and writes the manifest as results come back (in order).

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadKnowledgeBase } from '../catalog/load';
import { formatDocNumber, loadRegionConfig, type RegionConfig } from '../config/region';
import { HazardNoticeError } from '../errors';
import type { RowError } from '../input/employer';
import { readEmployers } from '../input/read-employers';
import type { LetterDocument } from '../letter/model';
import { buildLetterDocument, loadTemplate, type LetterTemplate } from '../letter/template';
import { layoutDocument } from '../render/layout/layout';
import { defaultFontsDir, glyphMissingError, loadFontSet, missingCharacters, type FontRoleName, type FontSet } from '../render/layout/fonts';
import type { LetterData } from '../resolve/letter-data';
import { resolveRecord } from '../resolve/resolve-record';
import { fileSha256, removeStaleTempFiles } from './atomic-file';
import type { FontNarrowingJob } from './font-narrowing-worker';
import { letterFileName, pathInside, safeFileStem } from './file-names';
import type { DrawnPage, LetterDataWithoutSeal, LetterJobItem, OutputFormat, StageTimes, WorkerJob, WorkerResult, WorkerSetup } from './jobs';
import { employerKey, Ledger } from './ledger';
import { ManifestWriter, manifestPath, RejectsWriter, type ManifestFile, type ManifestVolume } from './manifest';
import { StagingStore, type StagedRow } from './staging';
import { WorkerPool } from './worker-pool';

export interface BatchOptions {
  input: string;
  out: string;
  formats: OutputFormat[];
  date: string; // YYYY-MM-DD, already validated
  templateDir?: string;
  configFile?: string;
  columnsFile?: string;
  sheet?: string;
  jobs: number;
  dryRun: boolean;
  force: boolean;
  /** Ledger location; default <out>/.ledger.sqlite. */
  ledgerFile?: string;
  /** Letters per merged print PDF (a county larger than this gets several volumes). */
  volumeSize?: number;
  fontsDir?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface CountySummary {
  code: string;
  name: string;
  letters: number;
  volumes: number;
}

export interface BatchSummary {
  rowsRead: number;
  lettersMade: number;
  rowsRejected: number;
  /** Letters whose files were already complete (verified by SHA-256) and kept. */
  lettersKept: number;
  counties: CountySummary[];
  outDir: string;
  rejectsFile?: string;
  dryRun: boolean;
  /** Wall milliseconds per main-thread phase and summed worker milliseconds per stage. */
  timings: { phases: Record<string, number>; workers: StageTimes };
}

export const LEDGER_FILE = '.ledger.sqlite';
const STAGING_FILE = '.staging.sqlite';
const DEFAULT_VOLUME_SIZE = 500;
const LETTERS_PER_JOB = 8;
/** A worker's old-generation heap cap: collects garbage early so memory stays flat (a 500-page print volume needs ~100 MB). */
const WORKER_HEAP_MB = 128;

/** A worker module beside this one, compiled (.js) or source (.ts) like this module. */
function workerModule(name: string): string {
  return path.join(__dirname, `${name}${path.extname(__filename)}`);
}

/** Identity of a batch: same input bytes, date, template, config and reader options ⇒ same batch. */
function batchIdOf(opts: BatchOptions, template: LetterTemplate, region: RegionConfig): string {
  const h = crypto.createHash('sha256');
  const fileHash = (f: string | undefined) => (f ? fileSha256(f) ?? '' : '');
  for (const part of [fileHash(opts.input), opts.date, template.id, fileHash(region.file), opts.sheet ?? '', fileHash(opts.columnsFile)]) {
    h.update(part).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/** The seal (PNG bytes) stays out of the scratch store and worker messages; workers re-attach it. */
function withoutSeal(data: LetterData): LetterDataWithoutSeal {
  const { seal: _seal, ...bureau } = data.bureau;
  return { ...data, bureau };
}

/** Every character of a document, per font role. */
function documentText(doc: LetterDocument): Record<FontRoleName, string> {
  let body = '';
  let title = '';
  for (const p of doc.paragraphs) {
    for (const r of p.runs) {
      if (p.role === 'title') title += r.text;
      else body += r.text;
    }
  }
  return { body, title };
}

/** The characters (code points) of `text` that `known` lacks, each once, in order of first appearance. */
function unknownCodePoints(text: string, known: ReadonlySet<number>): Set<number> {
  const unknown = new Set<number>();
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (!known.has(cp)) unknown.add(cp);
  }
  return unknown;
}

interface Pass1Result {
  rowsRead: number;
  rowsRejected: number;
  chars: Set<string>;
}

/** Pass 1: read, resolve, check duplicates and glyphs; good rows to the store, bad ones to rejects. */
async function stageRows(
  opts: BatchOptions,
  ctx: { template: LetterTemplate; region: RegionConfig; fonts: FontSet },
  store: StagingStore,
  rejects: RejectsWriter,
): Promise<Pass1Result> {
  const resolveContext = { kb: loadKnowledgeBase(), region: ctx.region, date: opts.date, maxHazards: ctx.template.maxHazards };
  // Code points some accepted letter printed, per role: only others need a font lookup.
  const printed: Record<FontRoleName, Set<number>> = { title: new Set(), body: new Set() };
  let rowsRead = 0;
  let rowsRejected = 0;
  const reject = (errors: RowError[]) => {
    if (rejects.add(errors)) rowsRejected++;
  };
  const year = Number(opts.date.slice(0, 4));
  // Per 机关代字: the number letters are built with here, one holding every digit.
  const probeNumbers = new Map(
    ctx.region.counties.map((c) => [c.numberPrefix, formatDocNumber(ctx.region.numbering, c.numberPrefix, year, 1234567890)]),
  );
  for await (const item of readEmployers(opts.input, { sheet: opts.sheet, columnsFile: opts.columnsFile })) {
    if (item.kind === 'error') {
      if (rejects.add([item.error])) {
        rowsRead++;
        rowsRejected++;
      }
      continue;
    }
    rowsRead++;
    const record = item.record;
    const resolved = resolveRecord(record, resolveContext);
    if (!resolved.ok) {
      reject(resolved.errors);
      continue;
    }
    const data = withoutSeal(resolved.data);
    const where = (column: string | undefined) => `${record.source.file} 第 ${record.source.row} 行“${column}”列`;
    const countyCode = data.bureau.countyCode;
    const nameKey = employerKey(countyCode, data.employer.name);
    if (data.employer.uscc) {
      const first = store.firstRowWith(`uscc:${data.employer.uscc.toUpperCase()}`);
      if (first !== undefined) {
        const column = record.columns.uscc ?? '统一社会信用代码';
        reject([{ code: 'E_DUPLICATE_USCC', source: record.source, column, value: data.employer.uscc,
          message: `${where(column)}（值：${data.employer.uscc}）：与第 ${first} 行的统一社会信用代码重复，同一单位只生成一份告知单` }]);
        continue;
      }
    }
    const firstByName = store.firstRowWith(nameKey);
    if (firstByName !== undefined) {
      const column = record.columns.name ?? '单位名称';
      reject([{ code: 'E_DUPLICATE_NAME', source: record.source, column, value: data.employer.name,
        message: `${where(column)}（值：${data.employer.name}）：与第 ${firstByName} 行同一区县（${data.bureau.countyName}）的单位名称重复，同一单位只生成一份告知单` }]);
      continue;
    }
    // Build the letter now (with a number holding every digit) to find template and glyph problems.
    const rowError = (e: HazardNoticeError, value?: string): RowError => ({
      code: e.code, source: record.source, value, message: `${record.source.file} 第 ${record.source.row} 行：${e.message}`,
    });
    let doc: LetterDocument;
    try {
      // Not { ...data, docNumber }: V8 takes a slow path for a spread plus a new property.
      doc = buildLetterDocument(ctx.template, Object.assign({}, data, { docNumber: probeNumbers.get(data.bureau.numberPrefix) }));
    } catch (e) {
      if (!(e instanceof HazardNoticeError)) throw e;
      reject([rowError(e)]);
      continue;
    }
    const text = documentText(doc);
    const novel = { title: unknownCodePoints(text.title, printed.title), body: unknownCodePoints(text.body, printed.body) };
    const missing = (['title', 'body'] as const).flatMap((role) =>
      missingCharacters(String.fromCodePoint(...novel[role]), ctx.fonts, role).map((ch) => glyphMissingError(ch, ctx.fonts, role)),
    );
    if (missing.length > 0) {
      reject(missing.map((e) => rowError(e, String(e.details.char))));
      continue;
    }
    // The letter must fit one page (E_LAYOUT_OVERFLOW): checked before any number is issued for it.
    try {
      layoutDocument(doc, ctx.fonts);
    } catch (e) {
      if (!(e instanceof HazardNoticeError)) throw e;
      reject([rowError(e)]);
      continue;
    }
    for (const role of ['title', 'body'] as const) for (const cp of novel[role]) printed[role].add(cp);
    const keys = data.employer.uscc ? [`uscc:${data.employer.uscc.toUpperCase()}`, nameKey] : [nameKey];
    store.add(data, employerKey(countyCode, data.employer.name, data.employer.uscc), keys);
  }
  store.seal();
  const chars = [...printed.title, ...printed.body].map((cp) => String.fromCodePoint(cp));
  return { rowsRead, rowsRejected, chars: new Set(chars) };
}

function outExists(outDir: string, example: string, previous: string | undefined): HazardNoticeError {
  return new HazardNoticeError(
    'E_OUT_EXISTS',
    `输出目录“${outDir}”已有${previous ? '另一批次（输入、日期、模板或配置不同）' : '其他'}的文件（如“${example}”），为避免覆盖已停止；确认要替换请加 --force，或换一个输出目录`,
    { outDir, previous },
  );
}

/**
 * Opens the ledger and claims the output folder for this batch. Another batch's (or unknown) files
 * stop the run unless forced (nothing is created in the folder then); with --force the other
 * batch's recorded files are removed.
 */
function openLedgerFor(outDir: string, ledgerFile: string, batchId: string, force: boolean): Ledger {
  const ours = new Set([LEDGER_FILE, `${LEDGER_FILE}-wal`, `${LEDGER_FILE}-shm`, STAGING_FILE]);
  const foreign = fs.readdirSync(outDir).filter((f) => !ours.has(f));
  if (foreign.length > 0 && !force && !fs.existsSync(ledgerFile)) throw outExists(outDir, foreign[0], undefined);
  const ledger = new Ledger(ledgerFile);
  const previous = ledger.batchOf(outDir);
  if (previous === batchId) return ledger;
  if (foreign.length > 0 && !force) {
    ledger.close();
    throw outExists(outDir, foreign[0], previous);
  }
  const stale = ledger.filesOfOtherBatches(outDir, batchId);
  for (const f of stale) fs.rmSync(f, { force: true });
  ledger.forgetFiles(stale);
  ledger.setBatchOf(outDir, batchId);
  return ledger;
}

/** A dry run writes only rejects.csv: into an empty folder (or over its own earlier rejects.csv). */
function refuseBatchOutput(outDir: string): void {
  const other = fs.readdirSync(outDir).find((f) => f !== 'rejects.csv');
  if (other) {
    throw new HazardNoticeError(
      'E_OUT_EXISTS',
      `输出目录“${outDir}”中已有文件（如“${other}”），试运行不会写入其中；请换一个输出目录，或加 --force 覆盖其中的 rejects.csv`,
      { outDir },
    );
  }
}

/** The file is there and has the content this batch recorded for it. */
function alreadyDone(ledger: Ledger, file: string, batchId: string): string | undefined {
  const rec = ledger.fileRecord(file);
  if (!rec || rec.batchId !== batchId) return undefined;
  return fileSha256(file) === rec.sha256 ? rec.sha256 : undefined;
}

type InFlight =
  | { kind: 'letters'; letters: { seq: number; data: LetterDataWithoutSeal; files: ManifestFile[]; pending: Partial<Record<OutputFormat, string>> }[]; result: Promise<WorkerResult | undefined> }
  | { kind: 'volume'; volume: Omit<ManifestVolume, 'sha256'> & { sha256?: string }; file: string; result: Promise<WorkerResult | undefined> };

export async function runBatch(opts: BatchOptions): Promise<BatchSummary> {
  const phases: Record<string, number> = {};
  let t = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    phases[phase] = (phases[phase] ?? 0) + (now - t);
    t = now;
  };
  const workers: StageTimes = { build: 0, pdf: 0, docx: 0, volume: 0, write: 0 };

  const template = loadTemplate(opts.templateDir);
  const region = loadRegionConfig(opts.configFile);
  const fontsDir = opts.fontsDir ?? defaultFontsDir();
  // The full faces, for pass 1's glyph and page-fit checks only: dropped after it (tens of MB).
  let fonts: FontSet | undefined = loadFontSet(fontsDir, template.layout, { shared: false });
  if (!fs.existsSync(opts.input)) throw new HazardNoticeError('E_INPUT_READ', `无法读取输入文件“${opts.input}”：文件不存在`, { file: opts.input });
  const outDir = path.resolve(opts.out);
  fs.mkdirSync(outDir, { recursive: true });
  const batchId = batchIdOf(opts, template, region);
  lap('setup');

  let ledger: Ledger | undefined;
  if (opts.dryRun) {
    if (!opts.force) refuseBatchOutput(outDir);
  } else {
    ledger = openLedgerFor(outDir, opts.ledgerFile ? path.resolve(opts.ledgerFile) : path.join(outDir, LEDGER_FILE), batchId, opts.force);
    removeStaleTempFiles(outDir);
  }
  const scratchDir = opts.dryRun ? fs.mkdtempSync(path.join(os.tmpdir(), 'hazard-notice-')) : outDir;
  const store = new StagingStore(path.join(scratchDir, STAGING_FILE));
  const fontScratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hazard-notice-fonts-'));
  try {
    const rejectsFile = path.join(outDir, 'rejects.csv');
    const rejects = new RejectsWriter(rejectsFile);
    let pass1: Pass1Result;
    try {
      pass1 = await stageRows(opts, { template, region, fonts }, store, rejects);
      fonts = undefined;
    } catch (e) {
      rejects.abandon();
      throw e;
    }
    rejects.commit();
    lap('read+resolve');

    const counts = store.countyCounts();
    const counties: CountySummary[] = region.counties
      .filter((c) => counts.has(c.countyCode))
      .map((c) => ({ code: c.countyCode, name: c.countyName, letters: counts.get(c.countyCode)!, volumes: 0 }));
    const accepted = counties.reduce((n, c) => n + c.letters, 0);
    const summary: BatchSummary = {
      rowsRead: pass1.rowsRead,
      lettersMade: accepted,
      rowsRejected: pass1.rowsRejected,
      lettersKept: 0,
      counties,
      outDir,
      rejectsFile,
      dryRun: opts.dryRun,
      timings: { phases, workers },
    };
    if (!ledger || accepted === 0) return summary;

    // Fonts cut once to the batch's characters, handed to the workers as files: each worker then
    // parses only these small faces (no full font, no hb-subset heap per worker).
    const narrowing = new WorkerPool<FontNarrowingJob, string[]>(workerModule('font-narrowing-worker'), undefined, 1);
    try {
      await narrowing.run({ fontsDir, layout: template.layout, chars: [...pass1.chars].sort().join(''), outDir: fontScratch });
    } finally {
      await narrowing.close();
    }
    lap('fonts');
    const setup: WorkerSetup = { templateDir: opts.templateDir, configFile: opts.configFile, fontsDir: fontScratch };
    const pool = new WorkerPool<WorkerJob, WorkerResult>(
      workerModule('letter-worker'),
      setup,
      Math.max(1, opts.jobs),
      { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 8 },
    );
    try {
      await pool.started();
      lap('workers-start');
      await produce({ opts, outDir, template, region, ledger, store, pool, batchId, summary, workers });
    } finally {
      await pool.close();
    }
    lap('produce');
    return summary;
  } finally {
    store.dispose();
    ledger?.close();
    fs.rmSync(fontScratch, { recursive: true, force: true });
    if (opts.dryRun) fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

interface ProduceContext {
  opts: BatchOptions;
  outDir: string;
  template: LetterTemplate;
  region: RegionConfig;
  ledger: Ledger;
  store: StagingStore;
  pool: WorkerPool<WorkerJob, WorkerResult>;
  batchId: string;
  summary: BatchSummary;
  workers: StageTimes;
}

/** Pass 2: county by county, one volume-sized page at a time, with a bounded window of jobs in flight. */
async function produce(c: ProduceContext): Promise<void> {
  const { opts, outDir, template, region, ledger, store, pool, batchId, summary } = c;
  const volumeSize = opts.volumeSize ?? DEFAULT_VOLUME_SIZE;
  const window = Math.max(2, opts.jobs) * 3;
  const year = Number(opts.date.slice(0, 4));
  const manifest = new ManifestWriter(outDir, {
    batchId,
    input: opts.input,
    date: opts.date,
    templateId: template.id,
    config: region.region,
    formats: opts.formats,
  });
  const volumes: ManifestVolume[] = [];
  const inFlight: InFlight[] = [];
  let done = 0;
  opts.onProgress?.(0, summary.lettersMade);

  const submit = (job: WorkerJob | undefined) => (job ? pool.run(job) : Promise.resolve(undefined));
  const settle = async () => {
    const head = inFlight.shift()!;
    const result = await head.result;
    if (result) {
      ledger.recordFiles(result.files, batchId);
      for (const k of Object.keys(c.workers) as (keyof StageTimes)[]) c.workers[k] += result.ms[k];
    }
    const sha = new Map(result?.files.map((f) => [f.path, f.sha256]));
    if (head.kind === 'volume') {
      volumes.push({ ...head.volume, sha256: head.volume.sha256 ?? sha.get(head.file)! });
      return;
    }
    for (const l of head.letters) {
      for (const [format, file] of Object.entries(l.pending) as [OutputFormat, string][]) {
        l.files.push({ format, path: manifestPath(outDir, file), sha256: sha.get(file)! });
      }
      l.files.sort((a, b) => a.format.localeCompare(b.format));
      manifest.addLetter({ seq: l.seq, data: l.data, maxHazards: template.maxHazards, maxDiseases: template.maxDiseases, templateId: template.id, files: l.files });
      done++;
    }
    opts.onProgress?.(done, summary.lettersMade);
  };
  const enqueue = async (entry: InFlight) => {
    inFlight.push(entry);
    while (inFlight.length > window) await settle();
  };

  try {
    for (const county of summary.counties) {
      const countyDir = pathInside(outDir, safeFileStem(county.name));
      fs.mkdirSync(countyDir, { recursive: true });
      const width = String(county.letters).length;
      let seq = 0;
      let page: StagedRow[] = [];
      const prefix = region.counties.find((x) => x.countyCode === county.code)!.numberPrefix;
      const flushPage = async () => {
        if (page.length === 0) return;
        const numbers = ledger.issueNumbers(
          page.map((r) => ({ bureau: county.code, employerKey: r.employerKey, date: opts.date, templateId: template.id })),
        );
        const firstSeq = seq + 1;
        const letters = page.map((r, i) => {
          seq++;
          const data = { ...r.data, docNumber: formatDocNumber(region.numbering, prefix, year, numbers[i]) };
          const files: ManifestFile[] = [];
          const pending: Partial<Record<OutputFormat, string>> = {};
          for (const format of opts.formats) {
            const file = pathInside(countyDir, letterFileName(seq, data.employer.name, format, width));
            const kept = alreadyDone(ledger, file, batchId);
            if (kept) files.push({ format, path: manifestPath(outDir, file), sha256: kept });
            else pending[format] = file;
          }
          if (Object.keys(pending).length === 0) summary.lettersKept++;
          return { seq, data, files, pending };
        });
        // Each letter's drawn PDF page, once its job is back: the print volume reuses it.
        const drawnPages: Promise<DrawnPage | undefined>[] = [];
        for (let i = 0; i < letters.length; i += LETTERS_PER_JOB) {
          const chunk = letters.slice(i, i + LETTERS_PER_JOB);
          const made = chunk.filter((l) => Object.keys(l.pending).length > 0);
          const items: LetterJobItem[] = made.map((l) => ({ data: l.data, files: l.pending }));
          const result = submit(items.length > 0 ? { kind: 'letters', items } : undefined);
          if (opts.formats.includes('pdf')) {
            for (const l of chunk) {
              const k = made.indexOf(l);
              drawnPages.push(k < 0 ? Promise.resolve(undefined) : result.then((r) => r?.pages?.[k]));
            }
          }
          await enqueue({ kind: 'letters', letters: chunk, result });
        }
        if (opts.formats.includes('pdf')) {
          county.volumes++;
          const file = pathInside(countyDir, `${safeFileStem(county.name)}_打印合订本_第${county.volumes}册.pdf`);
          const kept = alreadyDone(ledger, file, batchId);
          const volume = { county: county.name, volume: county.volumes, firstSeq, lastSeq: seq, path: manifestPath(outDir, file), sha256: kept };
          const result = kept
            ? Promise.resolve(undefined)
            : Promise.all(drawnPages).then((pages) =>
                pool.run({ kind: 'volume', file, countyCode: county.code, items: letters.map((l, i) => (pages[i] ? { page: pages[i]! } : { data: l.data })) }),
              );
          await enqueue({ kind: 'volume', volume, file, result });
        }
        page = [];
      };
      for (const row of store.routeOrder(county.code)) {
        page.push(row);
        if (page.length === volumeSize) await flushPage();
      }
      await flushPage();
    }
    while (inFlight.length > 0) await settle();
  } catch (e) {
    manifest.abandon();
    await Promise.allSettled(inFlight.map((f) => f.result));
    throw e;
  }
  manifest.commit(volumes, {
    rowsRead: summary.rowsRead,
    lettersMade: summary.lettersMade,
    rowsRejected: summary.rowsRejected,
    counties: summary.counties,
  });
}
