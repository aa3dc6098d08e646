// Batches from the browser: an uploaded list is stored under the data directory by an id of ours (never the
// client's name), checked (a dry run: counts and rejected rows), then generated in this process (the batch keeps
// running when the tab closes). State is kept in state.json beside it, so a batch's page can be reopened, also
// after a restart (a batch cut off by the restart is 'interrupted' and resumes when started again).

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBatch, type BatchSummary } from '../batch/run-batch';
import { parseCsv } from '../csv/parse';
import { HazardNoticeError } from '../errors';
import { letterSetKey, type LetterSetOptions } from '../letter/model';
import { writeFileAtomic } from '../output-files/atomic-file';
import { pathInside, safeFileStem } from '../output-files/file-names';
import { ApiError, clientText } from './api-error';
import type { Desk } from './desk';

export const UPLOAD_TYPES = ['xlsx', 'csv', 'json', 'yaml', 'yml'] as const;

export interface RejectRow {
  row: string;
  column: string;
  value: string;
  code: string;
  reason: string;
}

export interface CountyDownloads {
  code: string;
  name: string;
  letters: number;
  volumes: number;
}

export type BatchStateName = 'checked' | 'queued' | 'running' | 'done' | 'failed' | 'interrupted';

export interface BatchState {
  id: string;
  state: BatchStateName;
  /** The uploaded file's name as the client gave it (shown only, never used as a path). */
  fileName: string;
  date: string;
  /** The pages made after each letter (annex, receipt), as asked for with the upload. */
  letterSet: LetterSetOptions;
  createdAt: string;
  counts: { rowsRead: number; accepted: number; rejected: number };
  rejects: RejectRow[];
  progress: { done: number; total: number; rate: number; secondsLeft: number | null };
  counties: CountyDownloads[];
  error?: { code: string; message: string };
  /** The login of the user who uploaded it (accounts configured): its letters record it as issued_by. */
  issuedBy?: string;
}

const ID = /^[0-9a-f]{16}$/;
/** Rejected rows listed in the state (and page); rejects.csv has them all. */
const MAX_LISTED_REJECTS = 1000;

/** The check's rejected rows, the list named by the client's file name (not where it is stored). */
function rejectRows(file: string, stored: string, fileName: string): RejectRow[] {
  if (!fs.existsSync(file)) return [];
  const [, ...rows] = parseCsv(fs.readFileSync(file, 'utf8'), 'rejects.csv');
  const named = (text: string) => text.split(stored).join(fileName);
  return rows
    .slice(0, MAX_LISTED_REJECTS)
    .map(({ fields: f }) => ({ row: f[2], column: f[3], value: f[4], code: f[5], reason: named(f[6]) }));
}

export class BatchDesk {
  private readonly root: string;
  private readonly states = new Map<string, BatchState>();
  private readonly listeners = new Map<string, Set<(s: BatchState) => void>>();
  /** Batches run one after another (each uses the machine's cores). */
  private queue: Promise<void> = Promise.resolve();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly desk: Desk) {
    this.root = path.join(desk.dataDir, 'web-batches');
    fs.mkdirSync(this.root, { recursive: true });
    for (const id of fs.readdirSync(this.root).filter((d) => ID.test(d))) {
      const file = path.join(this.root, id, 'state.json');
      if (!fs.existsSync(file)) continue;
      const state = JSON.parse(fs.readFileSync(file, 'utf8')) as BatchState;
      if (state.state === 'running' || state.state === 'queued') state.state = 'interrupted';
      this.states.set(id, state);
    }
  }

  dir(id: string): string {
    return path.join(this.root, id);
  }

  /**
   * A new batch's folder and the path its upload is stored at: the client's name made safe (it is the source file the
   * register and rejects.csv name), the extension only if listed.
   */
  newUpload(fileName: string): { id: string; file: string } {
    const ext = path.extname(fileName).toLowerCase().slice(1);
    if (!(UPLOAD_TYPES as readonly string[]).includes(ext)) {
      throw new ApiError(
        415,
        'E_UPLOAD_TYPE',
        `不支持的文件类型“${ext ? `.${ext}` : '无扩展名'}”：请上传 .xlsx、.csv、.json 或 .yaml 名单`,
        {
          field: 'file',
        },
      );
    }
    const id = crypto.randomBytes(8).toString('hex');
    fs.mkdirSync(path.join(this.dir(id), 'list'), { recursive: true });
    const stem = safeFileStem(path.basename(fileName, path.extname(fileName))) || 'upload';
    return { id, file: pathInside(this.dir(id), 'list', `${stem}.${ext}`) };
  }

  discard(id: string): void {
    fs.rmSync(this.dir(id), { recursive: true, force: true });
  }

  /** The dry run: counts and rejected rows; too many rows → 413 and the upload is removed. */
  async check(
    id: string,
    file: string,
    fileName: string,
    date: string,
    letterSet: LetterSetOptions = {},
    issuedBy?: string,
  ): Promise<BatchState> {
    const checkDir = path.join(this.dir(id), 'check');
    let summary: BatchSummary;
    try {
      summary = await runBatch({
        input: file,
        out: checkDir,
        formats: ['pdf', 'docx'],
        render: letterSet,
        date,
        templateDir: this.desk.templateDir,
        configFile: this.desk.configFile,
        jobs: 1,
        dryRun: true,
        force: true,
      });
    } catch (e) {
      this.discard(id);
      if (e instanceof HazardNoticeError) {
        // The list is named as the client sent it; any other path in the data directory stays hidden.
        throw new ApiError(422, e.code, clientText(e.message.split(file).join(fileName), this.desk.dataDir), { field: 'file' });
      }
      throw e;
    }
    if (summary.rowsRead > this.desk.rowLimit) {
      this.discard(id);
      throw new ApiError(
        413,
        'E_UPLOAD_ROWS',
        `名单有 ${summary.rowsRead} 行，超过网页批量的上限 ${this.desk.rowLimit} 行；请分成几个文件上传，或在命令行用 batch 命令生成`,
        {
          field: 'file',
        },
      );
    }
    const state: BatchState = {
      id,
      state: 'checked',
      fileName,
      date,
      letterSet: letterSetKey(letterSet),
      createdAt: new Date().toISOString(),
      counts: { rowsRead: summary.rowsRead, accepted: summary.lettersMade, rejected: summary.rowsRejected },
      rejects: rejectRows(path.join(checkDir, 'rejects.csv'), file, fileName),
      progress: { done: 0, total: summary.lettersMade, rate: 0, secondsLeft: null },
      counties: summary.counties.map((c) => ({ code: c.code, name: c.name, letters: c.letters, volumes: 0 })),
      ...(issuedBy !== undefined && { issuedBy }),
    };
    this.save(state);
    return state;
  }

  get(id: string): BatchState {
    const state = ID.test(id) ? this.states.get(id) : undefined;
    if (!state) throw new ApiError(404, 'E_BATCH_UNKNOWN', '没有这个批次（编号有误，或已被删除）');
    return state;
  }

  /** Starts (or resumes) generating; returns at once. */
  start(id: string): BatchState {
    const state = this.get(id);
    if (state.state === 'queued' || state.state === 'running') return state;
    if (state.state === 'done') throw new ApiError(409, 'E_BATCH_DONE', '该批次已生成完毕');
    if (state.counts.accepted === 0) throw new ApiError(422, 'E_BATCH_EMPTY', '名单中没有可生成告知单的行');
    this.update(state, { state: 'queued', error: undefined });
    const run = (this.queue = this.queue.then(() => this.produce(state)));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return state;
  }

  private async produce(state: BatchState): Promise<void> {
    const dir = this.dir(state.id);
    const [input] = fs.readdirSync(path.join(dir, 'list'));
    const list = path.join(dir, 'list', input);
    let started: number | undefined;
    this.update(state, { state: 'running' });
    try {
      const summary = await runBatch({
        input: list,
        out: path.join(dir, 'out'),
        dataDir: this.desk.dataDir,
        database: this.desk.database,
        formats: ['pdf', 'docx'],
        render: state.letterSet ?? {},
        date: state.date,
        templateDir: this.desk.templateDir,
        configFile: this.desk.configFile,
        jobs: Math.max(1, Math.min(4, os.availableParallelism() - 1)),
        dryRun: false,
        force: false,
        ...(state.issuedBy !== undefined && { issuedBy: state.issuedBy }),
        onProgress: (done, total) => {
          const now = Date.now();
          started ??= now;
          const rate = now > started ? (done / (now - started)) * 1000 : 0;
          this.notify(state, { done, total, rate, secondsLeft: rate > 0 ? Math.round((total - done) / rate) : null });
        },
      });
      this.update(state, {
        state: 'done',
        counties: summary.counties.map((c) => ({ code: c.code, name: c.name, letters: c.letters, volumes: c.volumes })),
        progress: { ...state.progress, done: summary.lettersMade, total: summary.lettersMade, secondsLeft: 0 },
      });
    } catch (e) {
      const error =
        e instanceof HazardNoticeError
          ? { code: e.code, message: clientText(e.message, this.desk.dataDir) }
          : { code: 'E_INTERNAL', message: '生成时出现内部错误，请查看服务器日志' };
      if (!(e instanceof HazardNoticeError)) console.error(e);
      this.update(state, { state: 'failed', error });
    }
  }

  /** Calls back on every change until `off` is called. */
  listen(id: string, listener: (s: BatchState) => void): () => void {
    const set = this.listeners.get(id) ?? new Set();
    this.listeners.set(id, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  private notify(state: BatchState, progress: BatchState['progress']): void {
    state.progress = progress;
    for (const l of this.listeners.get(state.id) ?? []) l(state);
  }

  private update(state: BatchState, change: Partial<BatchState>): void {
    Object.assign(state, change);
    this.save(state);
    for (const l of this.listeners.get(state.id) ?? []) l(state);
  }

  private save(state: BatchState): void {
    this.states.set(state.id, state);
    writeFileAtomic(path.join(this.dir(state.id), 'state.json'), JSON.stringify(state, null, 2));
  }

  /** A finished batch's output folder and its manifest (for downloads). */
  output(id: string): { outDir: string; manifest: BatchManifest } {
    const state = this.get(id);
    if (state.state !== 'done') throw new ApiError(409, 'E_BATCH_NOT_DONE', '该批次尚未生成完毕');
    const outDir = path.join(this.dir(id), 'out');
    return { outDir, manifest: JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as BatchManifest };
  }

  /** A CSV the batch wrote, as the client gets it: the folder its upload is stored in left out of the file names. */
  clientCsv(id: string, file: string): Buffer {
    const stored = path.join(this.dir(id), 'list') + path.sep;
    return Buffer.from(fs.readFileSync(file, 'utf8').split(stored).join(''), 'utf8');
  }

  /** rejects.csv of the run (or, before it, of the check). */
  rejectsFile(id: string): string {
    const state = this.get(id);
    const run = path.join(this.dir(id), 'out', 'rejects.csv');
    return state.state === 'done' && fs.existsSync(run) ? run : path.join(this.dir(id), 'check', 'rejects.csv');
  }

  /** Waits for running batches (server shutdown in tests). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}

export interface BatchManifest {
  letters: { county: { code: string; name: string }; files: { format: string; path: string }[] }[];
  printVolumes: { county: string; volume: number; path: string }[];
}
