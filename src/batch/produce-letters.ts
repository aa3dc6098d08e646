// Pass 2 of the batch: county by county in route order, one print volume's worth of rows at a time, numbers
// are issued from the register and the letters and the volume handed to the workers as jobs; results are
// recorded (register, manifest) in the order the jobs were handed out, with a bounded number in flight.

import fs from 'node:fs';
import path from 'node:path';
import { formatDocNumber, type RegionConfig } from '../config/region';
import type { LetterTemplate } from '../letter/template';
import { renderOptionsKey } from '../letter/model';
import { fileSha256 } from '../output-files/atomic-file';
import { letterFileName, pathInside, safeFileStem } from '../output-files/file-names';
import { certificateSha256, certificateSubject } from '../render/pdf/signing-key';
import { configIdentity } from '../register/remake';
import type { LetterEntry, Register } from '../register/register';
import type { DrawnPage, LetterDataWithoutSeal, OutputFormat, StageTimes, WorkerJob, WorkerResult } from './jobs';
import { ManifestWriter, manifestPath, type ManifestFile, type ManifestVolume } from './manifest';
import type { BatchOptions, BatchSummary, CountySummary } from './run-batch';
import type { StagedRow, StagingStore } from './staging';
import type { JobRunner } from './worker-pool';

const DEFAULT_VOLUME_SIZE = 500;
/** Letters per job; the batch's last jobs are smaller (see jobSize). */
const LETTERS_PER_JOB = 8;

/**
 * Letters in the next job, with `left` letters still to hand out to `threads` threads: LETTERS_PER_JOB, down to one
 * as the batch nears its end (two jobs per thread of what is left), so that no thread is left making a whole job
 * alone at the end (300 letters on 2 threads: ~40 ms).
 */
export function jobSize(left: number, threads: number): number {
  return Math.max(1, Math.min(LETTERS_PER_JOB, Math.ceil(left / (2 * Math.max(1, threads)))));
}

export interface ProduceContext {
  opts: BatchOptions;
  outDir: string;
  template: LetterTemplate;
  region: RegionConfig;
  ledger: Register;
  store: StagingStore;
  pool: JobRunner<WorkerJob, WorkerResult>;
  batchId: string;
  summary: BatchSummary;
  /** Summed worker milliseconds per stage, added to as jobs come back. */
  workers: StageTimes;
}

/** A county being produced: its folder, its 机关代字 and the last sequence number given in it. */
interface CountyRun {
  summary: CountySummary;
  dir: string;
  numberPrefix: string;
  /** Digits of the county's largest sequence number: file names sort in route order. */
  seqWidth: number;
  lastSeq: number;
}

/** A letter with its document number and sequence number (place in the county's route order, from 1). */
interface NumberedLetter {
  seq: number;
  /** Its document number's sequence number and the employer key it was issued under. */
  number: number;
  employerKey: string;
  data: LetterDataWithoutSeal;
  /** Its files complete from an earlier run (SHA-256 verified), then those written now as their job comes back. */
  files: ManifestFile[];
  /** The files a worker is to write, by format (none when all were kept). */
  toWrite: Partial<Record<OutputFormat, string>>;
}

type ManifestVolumeInProgress = Omit<ManifestVolume, 'sha256'> & { sha256?: string };

/** A job handed to the workers (result undefined: nothing to make, every file was kept). */
type JobInFlight =
  | { kind: 'letters'; letters: NumberedLetter[]; result: Promise<WorkerResult | undefined> }
  | { kind: 'volume'; volume: ManifestVolumeInProgress; file: string; result: Promise<WorkerResult | undefined> };

/** The file is there and has the content this batch recorded for it: its SHA-256 (and signature, when signed). */
async function alreadyDone(
  ledger: Register,
  file: string,
  batchId: string,
): Promise<Pick<ManifestFile, 'sha256' | 'signature'> | undefined> {
  const rec = await ledger.fileRecord(file);
  if (!rec || rec.batchId !== batchId || fileSha256(file) !== rec.sha256) return undefined;
  const signature = await ledger.signatureOf(rec.sha256);
  return { sha256: rec.sha256, ...(signature && { signature }) };
}

/** Pass 2: makes every staged letter and print volume, then commits the manifest (abandoned on failure). */
export async function produceLetters(c: ProduceContext): Promise<void> {
  const { opts, template, region, summary } = c;
  const manifest = new ManifestWriter(c.outDir, {
    batchId: c.batchId,
    input: opts.input,
    date: opts.date,
    templateId: template.id,
    config: region.region,
    formats: opts.formats,
    options: renderOptionsKey(opts.render ?? {}),
    ...(opts.signingKey && {
      signer: { certificateSha256: certificateSha256(opts.signingKey), subject: certificateSubject(opts.signingKey) },
    }),
  });
  const production = new Production(c, manifest);
  opts.onProgress?.(0, summary.lettersMade);
  try {
    for (const county of summary.counties) await production.produceCounty(county);
    await production.drain();
  } catch (e) {
    manifest.abandon();
    await production.settleAll();
    throw e;
  }
  manifest.commit(production.volumes, {
    rowsRead: summary.rowsRead,
    lettersMade: summary.lettersMade,
    rowsRejected: summary.rowsRejected,
    counties: summary.counties,
  });
}

class Production {
  readonly volumes: ManifestVolume[] = [];
  private readonly inFlight: JobInFlight[] = [];
  /** Jobs in flight whose result is back. */
  private readonly settled = new WeakSet<JobInFlight>();
  private readonly maxInFlight: number;
  private readonly volumeSize: number;
  private readonly year: number;
  private lettersDone = 0;
  /** Letters handed out in jobs so far. */
  private lettersHandedOut = 0;
  /** configIdentity per county code, worked out once. */
  private readonly configIds: Record<string, string> = {};

  constructor(
    private readonly c: ProduceContext,
    private readonly manifest: ManifestWriter,
  ) {
    this.maxInFlight = Math.max(2, c.opts.jobs) * 3;
    this.volumeSize = c.opts.volumeSize ?? DEFAULT_VOLUME_SIZE;
    this.year = Number(c.opts.date.slice(0, 4));
  }

  /** A county's letters in route order, one print volume's worth of rows at a time. */
  async produceCounty(summary: CountySummary): Promise<void> {
    const dir = pathInside(this.c.outDir, safeFileStem(summary.name));
    fs.mkdirSync(dir, { recursive: true });
    const numberPrefix = this.c.region.counties.find((x) => x.countyCode === summary.code)!.numberPrefix;
    const county: CountyRun = { summary, dir, numberPrefix, seqWidth: String(summary.letters).length, lastSeq: 0 };
    let volumeRows: StagedRow[] = [];
    for (const row of this.c.store.routeOrder(summary.code)) {
      volumeRows.push(row);
      if (volumeRows.length === this.volumeSize) {
        await this.produceVolume(county, volumeRows);
        volumeRows = [];
      }
    }
    if (volumeRows.length > 0) await this.produceVolume(county, volumeRows);
  }

  /** Rows of one print volume: numbered, handed out as letter jobs, then (PDF asked for) the volume's job. */
  private async produceVolume(county: CountyRun, rows: StagedRow[]): Promise<void> {
    const firstSeq = county.lastSeq + 1;
    const letters = await this.numberLetters(county, rows);
    const drawnPages = await this.submitLetterJobs(letters);
    if (this.c.opts.formats.includes('pdf')) await this.submitVolume(county, letters, firstSeq, drawnPages);
  }

  /** Issues the rows' document numbers and names their files; files complete from an earlier run are kept. */
  private async numberLetters(county: CountyRun, rows: StagedRow[]): Promise<NumberedLetter[]> {
    const { opts, ledger, template, region, outDir, batchId, summary } = this.c;
    const numbers = await ledger.issueNumbers(
      rows.map((r) => ({ bureau: county.summary.code, employerKey: r.employerKey, date: opts.date, templateId: template.id })),
    );
    const letters: NumberedLetter[] = [];
    for (const [i, r] of rows.entries()) {
      const seq = ++county.lastSeq;
      const data = { ...r.data, docNumber: formatDocNumber(region.numbering, county.numberPrefix, this.year, numbers[i]) };
      const files: ManifestFile[] = [];
      const toWrite: Partial<Record<OutputFormat, string>> = {};
      for (const format of opts.formats) {
        const file = pathInside(county.dir, letterFileName(seq, data.employer.name, format, county.seqWidth));
        const kept = await alreadyDone(ledger, file, batchId);
        if (kept) files.push({ format, path: manifestPath(outDir, file), ...kept });
        else toWrite[format] = file;
      }
      if (Object.keys(toWrite).length === 0) summary.lettersKept++;
      letters.push({ seq, number: numbers[i], employerKey: r.employerKey, data, files, toWrite });
    }
    return letters;
  }

  /**
   * Hands the letters out in jobs of jobSize letters. Returns, when PDF is asked for, each letter's drawn PDF
   * pages once its job is back (undefined for a letter whose PDF was kept), for the print volume to reuse.
   */
  private async submitLetterJobs(letters: NumberedLetter[]): Promise<Promise<DrawnPage[] | undefined>[]> {
    const drawnPages: Promise<DrawnPage[] | undefined>[] = [];
    for (let i = 0; i < letters.length;) {
      const chunk = letters.slice(i, (i += jobSize(this.c.summary.lettersMade - this.lettersHandedOut, this.c.opts.jobs)));
      this.lettersHandedOut += chunk.length;
      const made = chunk.filter((l) => Object.keys(l.toWrite).length > 0);
      const items = made.map((l) => ({ data: l.data, files: l.toWrite }));
      const result = items.length > 0 ? this.c.pool.run({ kind: 'letters', items }) : Promise.resolve(undefined);
      if (this.c.opts.formats.includes('pdf')) {
        for (const l of chunk) {
          const k = made.indexOf(l);
          // A failed job fails the batch when its letters settle; here it only means no page (never an unhandled rejection).
          drawnPages.push(
            k < 0
              ? Promise.resolve(undefined)
              : result.then(
                  (r) => r?.pages?.[k],
                  () => undefined,
                ),
          );
        }
      }
      await this.add({ kind: 'letters', letters: chunk, result });
    }
    return drawnPages;
  }

  /** The county's next print volume, unless an earlier run made it: its letters' pages, drawn again where kept. */
  private async submitVolume(
    county: CountyRun,
    letters: NumberedLetter[],
    firstSeq: number,
    drawnPages: Promise<DrawnPage[] | undefined>[],
  ): Promise<void> {
    const { outDir, ledger, batchId, pool } = this.c;
    const summary = county.summary;
    summary.volumes++;
    const file = pathInside(county.dir, `${safeFileStem(summary.name)}_打印合订本_第${summary.volumes}册.pdf`);
    const kept = await alreadyDone(ledger, file, batchId);
    const volume: ManifestVolumeInProgress = {
      county: summary.name,
      volume: summary.volumes,
      firstSeq,
      lastSeq: county.lastSeq,
      path: manifestPath(outDir, file),
      ...kept,
    };
    const result = kept
      ? Promise.resolve(undefined)
      : Promise.all(drawnPages).then((pages) => {
          const items = letters.map((l, i) => (pages[i] ? { pages: pages[i]! } : { data: l.data }));
          return pool.run({ kind: 'volume', file, countyCode: summary.code, items });
        });
    await this.add({ kind: 'volume', volume, file, result });
  }

  /**
   * Adds a job handed out; beyond the window, waits for the oldest ones. Jobs already back at the head are recorded
   * now: what is written is in the register soon, so an interrupted batch keeps it (the register is async, and jobs
   * run while this loop awaits it).
   */
  private async add(job: JobInFlight): Promise<void> {
    this.inFlight.push(job);
    const back = () => {
      this.settled.add(job);
    };
    job.result.then(back, back);
    while (this.inFlight.length > this.maxInFlight || (this.inFlight.length > 0 && this.settled.has(this.inFlight[0]))) {
      await this.recordOldest();
    }
  }

  /** Waits for every job still in flight, recording each. */
  async drain(): Promise<void> {
    while (this.inFlight.length > 0) await this.recordOldest();
  }

  /** After a failure: lets every job in flight end, recording nothing. */
  async settleAll(): Promise<void> {
    await Promise.allSettled(this.inFlight.map((f) => f.result));
  }

  /** Waits for the oldest job and records it: its files and letters in the register, its letters in the manifest, or the volume. */
  private async recordOldest(): Promise<void> {
    const { ledger, batchId, outDir, template, opts, summary } = this.c;
    const job = this.inFlight.shift()!;
    const result = await job.result;
    if (result) for (const k of Object.keys(this.c.workers) as (keyof StageTimes)[]) this.c.workers[k] += result.ms[k];
    const written = new Map(result?.files.map((f) => [f.path, f]));
    const made = (file: string) => {
      const { sha256, signature } = written.get(file)!;
      return { sha256, ...(signature && { signature }) };
    };
    if (job.kind === 'volume') {
      if (result) await ledger.recordFiles(result.files, batchId, { durable: false });
      this.volumes.push(job.volume.sha256 ? { ...job.volume, sha256: job.volume.sha256 } : { ...job.volume, ...made(job.file) });
      return;
    }
    for (const l of job.letters) {
      for (const [format, file] of Object.entries(l.toWrite) as [OutputFormat, string][]) {
        l.files.push({ format, path: manifestPath(outDir, file), ...made(file) });
      }
      l.files.sort((a, b) => a.format.localeCompare(b.format));
    }
    // Not fsynced one by one (see Register.transaction): the numbers were issued durably before the letters were made.
    await ledger.transaction(
      async () => {
        if (result) await ledger.recordFiles(result.files, batchId);
        await ledger.recordLetters(job.letters.map((l) => this.registerEntry(l)));
      },
      { durable: false },
    );
    for (const l of job.letters) {
      this.manifest.addLetter({
        seq: l.seq,
        data: l.data,
        maxHazards: template.maxHazards,
        maxDiseases: template.maxDiseases,
        templateId: template.id,
        files: l.files,
      });
      this.lettersDone++;
    }
    opts.onProgress?.(this.lettersDone, summary.lettersMade);
  }

  /** A letter as the register records it: its number, data, template and config identity, source row and files. */
  private registerEntry(l: NumberedLetter): LetterEntry {
    const { template, region, outDir, batchId } = this.c;
    const county = l.data.bureau.countyCode;
    return {
      seq: l.number,
      employerKey: l.employerKey,
      data: l.data,
      template: { id: template.id, dir: template.dir },
      config: { file: region.file, sha256: (this.configIds[county] ??= configIdentity(region, county)) },
      render: renderOptionsKey(this.c.opts.render ?? {}),
      source: { kind: 'batch', batchId, file: l.data.source?.file ?? '', row: l.data.source?.row ?? 0 },
      ...(this.c.opts.issuedBy !== undefined && { issuedBy: this.c.opts.issuedBy }),
      files: l.files.map((f) => ({ ...f, path: path.join(outDir, ...f.path.split('/')) })),
    };
  }
}
