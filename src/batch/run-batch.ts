// The batch: pass 1 (a thread of its own) streams the spreadsheet, validates and resolves every row into a
// scratch store and cuts the fonts down to the batch's characters;
// pass 2 (produce-letters) goes county by county in route order, issues document numbers from the register, has the
// workers write letters and print volumes, and records them in the register and the manifest as results come back (in order).

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { loadRegionConfig, type RegionConfig } from '../config/region';
import { HazardNoticeError } from '../errors';
import { renderOptionsKey, type RenderOptions } from '../letter/model';
import { checkTemplatePages, loadTemplate, type LetterTemplate } from '../letter/template';
import { defaultFontsDir, unloadFontsDir } from '../render/layout/fonts';
import { certificateSha256, type SigningKey } from '../render/pdf/signing-key';
import { fileSha256, removeStaleTempFiles } from '../output-files/atomic-file';
import { withFileErrors } from '../output-files/fs-error';
import { registerFileIn, resolveDataDir } from '../register/data-dir';
import { Register } from '../register/register';
import { isPostgresUrl } from '../register/storage';
import type { LetterTrials, StageInput } from './stage-rows';
import type { RelayedOutcome, RelayedTrial, StageJob, StageResult } from './stage-worker';
import type { OutputFormat, StageTimes, WorkerJob, WorkerResult, WorkerSetup } from './jobs';
import { produceLetters } from './produce-letters';
import { StagingStore } from './staging';
import { serializeError, WorkerPool } from './worker-pool';

export interface BatchOptions {
  input: string;
  out: string;
  formats: OutputFormat[];
  /** How each letter is made: the pages after it (annex, receipt), PDF/A letters and print volumes; none by default. */
  render?: RenderOptions;
  date: string; // YYYY-MM-DD, already validated
  templateDir?: string;
  configFile?: string;
  columnsFile?: string;
  sheet?: string;
  jobs: number;
  dryRun: boolean;
  force: boolean;
  /** Who issues the letters (the web app's logged-in user), recorded with each in the register. */
  issuedBy?: string;
  /** The register (document numbers, letters issued): this file, else register.sqlite in the data directory. */
  ledgerFile?: string;
  /** A PostgreSQL URL or an SQLite file (resolveDatabase): the register, instead of the data directory's or --ledger. */
  database?: string;
  /** Data directory (default: resolveDataDir(), i.e. HAZARD_NOTICE_DATA_DIR or the user's data directory). */
  dataDir?: string;
  /** Letters per merged print PDF (a county larger than this gets several volumes). */
  volumeSize?: number;
  fontsDir?: string;
  /**
   * Up to this many letters are made in the batch's own thread alone, more by worker threads (default
   * IN_THREAD_MAX_LETTERS); 0: by worker threads only.
   */
  inThreadMaxLetters?: number;
  /**
   * A larger batch whose pass 1 ran in this thread is made by this thread and `jobs − 1` workers (its layout code is
   * compiled and its paragraphs set by then): for a command; a server's thread stays free for its requests (false).
   */
  joinWorkers?: boolean;
  /** Pass 1 runs in the batch's own thread for an input up to this many bytes, else in its own (default SMALL_INPUT_MAX_BYTES). */
  inThreadPass1MaxBytes?: number;
  /**
   * With `joinWorkers`, a pass 1 in this thread of an input of at least this many bytes starts the workers first and
   * shares its trial layouts with them (default POOL_FIRST_MIN_BYTES).
   */
  poolFirstMinBytes?: number;
  onProgress?: (done: number, total: number) => void;
  /** `--sign`: sign every PDF (letters, print volumes) with this key. */
  signingKey?: SigningKey;
  /** `campaign followup`: per input row, the earlier notice and the deadline its reminder letter prints. */
  followUps?: StageInput['followUps'];
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

/** Where versions before the register kept the ledger: in the output folder. */
export const LEGACY_LEDGER_FILE = '.ledger.sqlite';
const STAGING_FILE = '.staging.sqlite';
/**
 * Up to this many letters are made in the batch's own thread alone: starting worker threads (each loading the writers,
 * template and fonts) costs more than they save on a small batch (measured: see README “性能”). With `joinWorkers`, a
 * larger batch whose pass 1 ran in this thread is made by this thread and `jobs − 1` workers.
 */
const IN_THREAD_MAX_LETTERS = 100;
/**
 * A small batch's input file is at most this size (about 1,000 spreadsheet rows, 500 CSV rows). Its pass 1 runs in
 * the batch's own thread: its own thread would load the modules, template and knowledge base a second time. A
 * larger input gets a thread of its own, so its memory (knowledge base, full faces, reader) goes when it ends.
 */
const SMALL_INPUT_MAX_BYTES = 64 * 1024;

/**
 * An input of at least this size (an .xlsx of some 200 rows, a CSV of 150 or more) most likely makes more letters than
 * the batch's own thread makes alone: with `joinWorkers`, its worker threads start before pass 1, load while the rows
 * are read and share pass 1's trial layouts (otherwise they start after 100 rows are staged and wait for pass 1).
 */
const POOL_FIRST_MIN_BYTES = 16 * 1024;
/** The input's size in bytes; undefined when it cannot be read (pass 1 says why). */
function inputBytes(file: string): number | undefined {
  try {
    return fs.statSync(file).size;
  } catch {
    return undefined;
  }
}

/** Whether `file` is a small batch's input (SMALL_INPUT_MAX_BYTES or less); false when it cannot be read (pass 1 says why). */
export function isSmallInput(file: string, maxBytes = SMALL_INPUT_MAX_BYTES): boolean {
  const size = inputBytes(file);
  return size !== undefined && size <= maxBytes;
}
/**
 * A letter worker's heap caps: garbage is collected early so memory stays flat. A worker holds its small faces (and,
 * when it shared pass 1's trial layouts, the whole faces' tables) and, for a print volume, up to 500 drawn pages
 * (deflated content, ~6 KB each).
 */
const WORKER_HEAP = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };
/** Pass 1's heap caps: the knowledge base, the full faces' tables and the reader's state, whatever the row count. */
const STAGE_HEAP = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };

/**
 * Runs the trial jobs pass 1's thread sends on `port` (stage-worker's relayedTrials) in `pool`, answering on `port`. An
 * answer that cannot be sent closes the port: pass 1 then fails its waiting rows instead of waiting for ever.
 */
function trialRelay(port: MessagePort, pool: WorkerPool<WorkerJob, WorkerResult>): void {
  port.on('message', ({ id, job }: RelayedTrial) => {
    const answer = (outcome: Omit<RelayedOutcome, 'id'>) => port.postMessage({ id, ...outcome } satisfies RelayedOutcome);
    pool
      .run(job)
      .then((result) => answer({ result }))
      .catch((e) => answer({ error: serializeError(e) }))
      .catch(() => port.close());
  });
}

/** A worker module beside this one, compiled (.js) or source (.ts) like this module. */
function workerModule(name: string): string {
  return path.join(__dirname, `${name}${path.extname(__filename)}`);
}

/**
 * Identity of a batch: same input bytes, date, template, config (and its overrides file), reader options, render options
 * (pages, PDF/A), signing certificate and follow-up data ⇒ same batch.
 */
function batchIdOf(opts: BatchOptions, template: LetterTemplate, region: RegionConfig): string {
  const h = crypto.createHash('sha256');
  const fileHash = (f: string | undefined) => (f ? (fileSha256(f) ?? '') : '');
  for (const part of [fileHash(opts.input), opts.date, template.id, fileHash(region.file), opts.sheet ?? '', fileHash(opts.columnsFile)]) {
    h.update(part).update('\0');
  }
  if (region.industryOverrides) h.update(fileHash(region.industryOverrides)).update('\0');
  const render = renderOptionsKey(opts.render ?? {});
  if (Object.keys(render).length > 0) h.update(JSON.stringify(render)).update('\0');
  if (opts.signingKey) h.update('signed\0').update(certificateSha256(opts.signingKey)).update('\0');
  if (opts.followUps) h.update('followUps\0').update(JSON.stringify(opts.followUps)).update('\0');
  return h.digest('hex').slice(0, 16);
}

function outExists(outDir: string, example: string, previous: string | undefined): HazardNoticeError {
  return new HazardNoticeError(
    'E_OUT_EXISTS',
    `输出目录“${outDir}”已有${previous ? '另一批次（输入、日期、模板或配置不同）' : '其他'}的文件（如“${example}”），为避免覆盖已停止；确认要替换请加 --force，或换一个输出目录`,
    { outDir, previous },
  );
}

/** The register a batch uses: --database, else --ledger, else the data directory's. An output folder with an older
 * version's ledger in it is not silently given another sequence: the user is told to name that ledger with --ledger. */
function registerFileFor(opts: BatchOptions, outDir: string): string {
  if (opts.database && opts.ledgerFile) {
    throw new HazardNoticeError('E_ARG_CONFLICT', '--database 与 --ledger 不能同时使用：登记簿只能有一个', {
      database: opts.database,
      ledger: opts.ledgerFile,
    });
  }
  if (opts.database) return isPostgresUrl(opts.database) ? opts.database : path.resolve(opts.database);
  if (opts.ledgerFile) return path.resolve(opts.ledgerFile);
  const legacy = path.join(outDir, LEGACY_LEDGER_FILE);
  if (fs.existsSync(legacy)) {
    throw new HazardNoticeError(
      'E_LEDGER_LEGACY',
      `输出目录“${outDir}”中有旧版本的文号登记库“${LEGACY_LEDGER_FILE}”。续做这一批次请加 --ledger “${legacy}”（它会升级为登记簿）；` +
        '改用数据目录中的登记簿请先将其移出输出目录',
      { outDir, file: legacy },
    );
  }
  return registerFileIn(resolveDataDir(opts.dataDir));
}

/**
 * Opens the register and claims the output folder for this batch. Another batch's (or unknown) files
 * stop the run unless forced (nothing is created in the folder then); with --force the other
 * batch's recorded files are removed.
 */
async function openLedgerFor(outDir: string, target: string, batchId: string, force: boolean, dataDir?: string): Promise<Register> {
  const postgres = isPostgresUrl(target);
  const ledgerHere = !postgres && path.dirname(target) === outDir ? path.basename(target) : undefined;
  const ours = new Set([STAGING_FILE, ...(ledgerHere ? [ledgerHere, `${ledgerHere}-wal`, `${ledgerHere}-shm`] : [])]);
  const foreign = fs.readdirSync(outDir).filter((f) => !ours.has(f));
  if (foreign.length > 0 && !force && !postgres && !fs.existsSync(target)) throw outExists(outDir, foreign[0], undefined);
  if (!postgres) withFileErrors(target, () => fs.mkdirSync(path.dirname(target), { recursive: true }));
  const ledger = await Register.open(target, postgres ? { dataDir: resolveDataDir(dataDir) } : {});
  try {
    const previous = await ledger.batchOf(outDir);
    if (previous === batchId) return ledger;
    if (foreign.length > 0 && !force) throw outExists(outDir, foreign[0], previous);
    const stale = await ledger.filesOfOtherBatches(outDir, batchId);
    for (const f of stale) fs.rmSync(f, { force: true });
    await ledger.forgetFiles(stale);
    await ledger.setBatchOf(outDir, batchId);
    return ledger;
  } catch (e) {
    await ledger.close();
    throw e;
  }
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

export async function runBatch(opts: BatchOptions): Promise<BatchSummary> {
  const phases: Record<string, number> = {};
  let t = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    phases[phase] = (phases[phase] ?? 0) + (now - t);
    t = now;
  };
  const workers: StageTimes = { build: 0, pdf: 0, docx: 0, volume: 0, sign: 0, write: 0 };

  const template = loadTemplate(opts.templateDir);
  checkTemplatePages(template, opts.render ?? {});
  const region = loadRegionConfig(opts.configFile);
  const fontsDir = opts.fontsDir ?? defaultFontsDir();
  if (!fs.existsSync(opts.input))
    throw new HazardNoticeError('E_INPUT_READ', `无法读取输入文件“${opts.input}”：文件不存在`, { file: opts.input });
  const outDir = path.resolve(opts.out);
  fs.mkdirSync(outDir, { recursive: true });
  const batchId = batchIdOf(opts, template, region);
  lap('setup');

  let ledger: Register | undefined;
  if (opts.dryRun) {
    if (!opts.force) refuseBatchOutput(outDir);
  } else {
    ledger = await openLedgerFor(outDir, registerFileFor(opts, outDir), batchId, opts.force, opts.dataDir);
    removeStaleTempFiles(outDir);
  }
  const scratchDir = opts.dryRun ? fs.mkdtempSync(path.join(os.tmpdir(), 'hazard-notice-')) : outDir;
  const stagingFile = path.join(scratchDir, STAGING_FILE);
  const fontScratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hazard-notice-fonts-'));
  let store: StagingStore | undefined;
  const inThreadMax = opts.inThreadMaxLetters ?? IN_THREAD_MAX_LETTERS;
  const seals = new Map(region.counties.map((c) => [c.countyCode, c.seal]));
  const render = renderOptionsKey(opts.render ?? {});
  // The faces are cut to the batch's characters only for PDF (embedding); DOCX needs only their metrics.
  const cutFonts = ledger !== undefined && opts.formats.includes('pdf');
  const letterFonts = cutFonts ? fontScratch : fontsDir;
  const setup: WorkerSetup = {
    template: template.source,
    seals,
    fontsDir: letterFonts,
    trialFontsDir: fontsDir,
    render,
    signingKey: opts.signingKey,
  };
  // The letter work in this thread (for a pool that it joins), loaded on its first job.
  const inThisThread = (): ((job: WorkerJob) => Promise<WorkerResult>) => {
    const work = require('./letter-work') as typeof import('./letter-work');
    let loaded: import('./letter-work').Loaded | undefined;
    return (job) => work.run((loaded ??= work.load(setup)), job);
  };
  const startPool = (workers: number, joined: boolean) =>
    new WorkerPool<WorkerJob, WorkerResult>(
      workerModule('letter-worker'),
      setup,
      workers,
      WORKER_HEAP,
      joined ? inThisThread() : undefined,
    );
  let pool: WorkerPool<WorkerJob, WorkerResult> | undefined;
  try {
    const rejectsFile = path.join(outDir, 'rejects.csv');
    const stageJob: StageJob = {
      input: opts.input,
      sheet: opts.sheet,
      columnsFile: opts.columnsFile,
      date: opts.date,
      letterSet: opts.render,
      followUps: opts.followUps,
      templateDir: opts.templateDir,
      configFile: opts.configFile,
      fontsDir,
      stagingFile,
      rejectsFile,
      narrowedFontsDir: cutFonts ? fontScratch : undefined,
    };
    let pass1: StageResult;
    const inputSize = inputBytes(opts.input);
    const pass1InThisThread = inputSize !== undefined && inputSize <= (opts.inThreadPass1MaxBytes ?? SMALL_INPUT_MAX_BYTES);
    // This thread, warmed up by pass 1, joins the workers when asked (not with inThreadMax 0: workers only).
    const joined = opts.joinWorkers === true && pass1InThisThread && inThreadMax > 0;
    const workerCount = Math.max(1, opts.jobs) - (joined ? 1 : 0);
    if (pass1InThisThread) {
      // A large input: the workers start now and share the trial layouts. Else once more rows are staged than this
      // thread makes alone, the workers start, loading while pass 1 goes on (they read the cut fonts with their first job).
      let trials: LetterTrials | undefined;
      if (ledger && joined && (inputSize ?? 0) >= (opts.poolFirstMinBytes ?? POOL_FIRST_MIN_BYTES)) {
        const first = (pool = startPool(workerCount, joined));
        const { pooledTrials } = require('./stage-rows') as typeof import('./stage-rows');
        trials = pooledTrials((job) => first.run(job));
      }
      const startWorkersEarly = (staged: number) => {
        if (ledger && !pool && staged > inThreadMax) pool = startPool(workerCount, joined);
      };
      pass1 = await (require('./stage-worker') as typeof import('./stage-worker')).stage(stageJob, startWorkersEarly, trials);
    } else {
      // Pass 1 and the font cutting in a thread of their own: their memory goes when it ends. For a command, the letter
      // workers start now and make its trial layouts, relayed through this thread (a server's batch starts them later).
      const relay = ledger && opts.joinWorkers ? new MessageChannel() : undefined;
      let stager: WorkerPool<StageJob, StageResult> | undefined;
      try {
        if (relay) trialRelay(relay.port1, (pool = startPool(workerCount, joined)));
        stager = new WorkerPool<StageJob, StageResult>(
          workerModule('stage-worker'),
          relay && { trialPort: relay.port2 },
          1,
          STAGE_HEAP,
          undefined,
          relay && [relay.port2],
        );
        pass1 = await stager.run(stageJob);
      } finally {
        relay?.port1.close();
        await stager?.close();
      }
    }
    store = StagingStore.open(stagingFile);
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

    // A small batch in this thread alone: starting worker threads (each loading the writers, template and fonts)
    // costs more than they save. One job at a time, in order: a job that fails (disk full) leaves the earlier ones whole.
    pool ??= accepted <= inThreadMax ? startPool(0, true) : startPool(workerCount, joined);
    await pool.started();
    lap('workers-start');
    await produceLetters({ opts, outDir, template, region, ledger, store, pool, batchId, summary, workers });
    lap('produce');
    return summary;
  } finally {
    try {
      await pool?.close();
      if (store) store.dispose();
      else fs.rmSync(stagingFile, { force: true });
      await ledger?.close();
    } finally {
      // The faces this thread loaded from the batch's cut fonts (letters it made itself) go with the batch, whatever failed.
      unloadFontsDir(fontScratch);
      fs.rmSync(fontScratch, { recursive: true, force: true });
      if (opts.dryRun) fs.rmSync(scratchDir, { recursive: true, force: true });
    }
  }
}
