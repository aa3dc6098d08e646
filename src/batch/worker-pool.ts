// A fixed pool of worker threads running one job at a time each, optionally joined by the pool's own thread
// (`local`); jobs queue when all are busy.

import fs from 'node:fs';
import path from 'node:path';
import { type MessagePort, Worker, type ResourceLimits } from 'node:worker_threads';
import { HazardNoticeError } from '../errors';
import { fileSystemError } from '../output-files/fs-error';

/**
 * JavaScript that runs a TypeScript module, transpiling it and its imports on load. Used when the
 * batch itself runs from TypeScript sources (ts-jest, tests' child processes); compiled builds load
 * the worker's .js directly. When the test run has compiled src/ once (HAZARD_NOTICE_TEST_BUILD), a
 * module under src/ loads its compiled twin and only the other files (a test's child script) are transpiled.
 */
export function typescriptEntryScript(file: string): string {
  const typescript = require.resolve('typescript');
  const srcRoot = path.join(__dirname, '..');
  return `
const fs = require('node:fs');
const path = require('node:path');
const ts = require(${JSON.stringify(typescript)});
const build = process.env.HAZARD_NOTICE_TEST_BUILD;
const srcRoot = ${JSON.stringify(srcRoot)};
require.extensions['.ts'] = (module, filename) => {
  const rel = path.relative(srcRoot, filename);
  if (build && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    module.exports = require(path.join(build, rel.replace(/\\.ts$/, '.js')));
    return;
  }
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(out.outputText, filename);
};
require(${JSON.stringify(file)});
`;
}

/**
 * What a worker runs. A TypeScript module runs from its compiled twin when the test run has compiled src/
 * once (HAZARD_NOTICE_TEST_BUILD, set by test/global-setup.js), else it is transpiled on load.
 */
function workerScript(file: string): { script: string; evalCode: boolean } {
  if (!file.endsWith('.ts')) return { script: file, evalCode: false };
  const build = process.env.HAZARD_NOTICE_TEST_BUILD;
  if (!build) return { script: typescriptEntryScript(file), evalCode: true };
  const compiled = path.join(build, path.relative(path.join(__dirname, '..'), file)).replace(/\.ts$/, '.js');
  if (!fs.existsSync(compiled)) throw new Error(`worker ${file}: no compiled ${compiled} in HAZARD_NOTICE_TEST_BUILD`);
  return { script: compiled, evalCode: false };
}

/** What produces a batch's letters: a pool of worker threads, or the batch's own thread for a small batch. */
export interface JobRunner<Job, Res> {
  run(job: Job): Promise<Res>;
}

interface Pending<Res> {
  job: unknown;
  resolve: (r: Res) => void;
  reject: (e: Error) => void;
}

/**
 * Jobs handed to a worker at once: it starts the next as soon as one ends, without waiting for this thread to
 * hand it out (which waits while this thread runs a job of its own, see `local`).
 */
const JOBS_PER_WORKER = 2;

export class WorkerPool<Job, Res> implements JobRunner<Job, Res> {
  /** Workers with room for another job, once per free place. */
  private readonly idle: Worker[] = [];
  /** The pool's own thread is running a job (`local`). */
  private localBusy = false;
  /** Each worker's jobs in the order handed out (it runs them in that order, one at a time). */
  private readonly busy = new Map<Worker, Pending<Res>[]>();
  private readonly queue: Pending<Res>[] = [];
  private readonly workers: Worker[] = [];
  private failure: Error | undefined;
  private ready: Promise<void>;

  /**
   * `size` worker threads; with `local`, the pool's own thread takes jobs too, one at a time, each started on a
   * macrotask of its own (so results already back are handled between jobs). `local` runs before any worker is ready.
   * `ports` in `workerData` move to the worker (a pool of one).
   */
  constructor(
    file: string,
    workerData: unknown,
    size: number,
    resourceLimits?: ResourceLimits,
    private readonly local?: (job: Job) => Promise<Res>,
    ports: MessagePort[] = [],
  ) {
    if (ports.length > 0 && size !== 1) throw new Error('WorkerPool: ports move to a pool of one worker');
    const { script, evalCode } = workerScript(file);
    const starts: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { eval: evalCode, workerData, resourceLimits, transferList: ports });
      this.workers.push(worker);
      starts.push(
        new Promise<void>((resolve, reject) => {
          worker.once('message', (m: { ready?: boolean; error?: SerializedError }) => {
            if (m.ready) resolve();
            else reject(deserializeError(m.error));
          });
          worker.once('error', reject);
        }),
      );
    }
    this.ready = Promise.all(starts).then(() => {
      for (const w of this.workers) this.attach(w);
    });
    this.ready.catch((e: Error) => this.fail(e));
  }

  /** Resolves when every worker has loaded (fonts, template); rejects with the first load error. */
  started(): Promise<void> {
    return this.ready;
  }

  run(job: Job): Promise<Res> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private attach(worker: Worker): void {
    this.busy.set(worker, []);
    worker.on('message', (m: { result?: Res; error?: SerializedError }) => {
      const pending = this.busy.get(worker)?.shift();
      this.idle.push(worker);
      if (pending) {
        if (m.error) pending.reject(deserializeError(m.error));
        else pending.resolve(m.result as Res);
      }
      this.dispatch();
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => {
      if (code !== 0 && !this.failure) {
        // An internal failure (exit code 70 on the command line), said in Chinese.
        this.fail(new Error(`工作线程意外退出（退出码 ${code}），本批次已停止；用同一命令重新运行即可续做`));
      }
    });
    for (let i = 0; i < JOBS_PER_WORKER; i++) this.idle.push(worker);
    this.dispatch();
  }

  private dispatch(): void {
    if (this.local && !this.localBusy && this.queue.length > 0) this.runLocal(this.local, this.queue.shift()!);
    while (this.idle.length > 0 && this.queue.length > 0) {
      // The worker with the fewest jobs first.
      const load = (w: Worker) => this.busy.get(w)!.length;
      const place = this.idle.reduce((best, w, i) => (load(w) < load(this.idle[best]) ? i : best), 0);
      const worker = this.idle.splice(place, 1)[0];
      const pending = this.queue.shift()!;
      this.busy.get(worker)!.push(pending);
      worker.postMessage(pending.job);
    }
  }

  private runLocal(local: (job: Job) => Promise<Res>, pending: Pending<Res>): void {
    this.localBusy = true;
    setImmediate(() => {
      Promise.resolve(pending.job as Job)
        .then(local)
        .then(pending.resolve, pending.reject)
        .finally(() => {
          this.localBusy = false;
          if (!this.failure) this.dispatch();
        });
    });
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const p of [...[...this.busy.values()].flat(), ...this.queue]) p.reject(e);
    this.busy.clear();
    this.queue.length = 0;
  }
}

/** An error as it crosses the thread boundary, keeping HazardNoticeError's code and details. */
export interface SerializedError {
  message: string;
  stack?: string;
  code?: string;
  details?: Record<string, unknown>;
}

/** A file-system failure crosses as the user's error (Chinese, with its path); others keep their code. */
export function serializeError(e: unknown): SerializedError {
  const err = (fileSystemError(e) ?? e) as { message?: string; stack?: string; code?: unknown; details?: Record<string, unknown> };
  return {
    message: String(err?.message ?? e),
    stack: err?.stack,
    code: typeof err?.code === 'string' ? err.code : undefined,
    details: err?.details,
  };
}

export function deserializeError(s: SerializedError | undefined): Error {
  const e = s?.code ? new HazardNoticeError(s.code, s.message, s.details) : new Error(s?.message ?? 'worker failed');
  if (s?.stack) e.stack = s.stack;
  return e;
}
