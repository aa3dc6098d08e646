// A fixed pool of worker threads running one job at a time each; jobs queue when all are busy.

import fs from 'node:fs';
import path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
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

export class WorkerPool<Job, Res> implements JobRunner<Job, Res> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending<Res>>();
  private readonly queue: Pending<Res>[] = [];
  private readonly workers: Worker[] = [];
  private failure: Error | undefined;
  private ready: Promise<void>;

  constructor(file: string, workerData: unknown, size: number, resourceLimits?: ResourceLimits) {
    const { script, evalCode } = workerScript(file);
    const starts: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { eval: evalCode, workerData, resourceLimits });
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
    worker.on('message', (m: { result?: Res; error?: SerializedError }) => {
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (pending) {
        if (m.error) pending.reject(deserializeError(m.error));
        else pending.resolve(m.result as Res);
      }
      this.dispatch();
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => {
      if (code !== 0 && !this.failure) this.fail(new Error(`worker exited with code ${code}`));
    });
    this.idle.push(worker);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage(pending.job);
    }
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const p of [...this.busy.values(), ...this.queue]) p.reject(e);
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

function deserializeError(s: SerializedError | undefined): Error {
  const e = s?.code ? new HazardNoticeError(s.code, s.message, s.details) : new Error(s?.message ?? 'worker failed');
  if (s?.stack) e.stack = s.stack;
  return e;
}
