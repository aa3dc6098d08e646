// Worker thread for pass 1: stages the input (stage-rows), then cuts the template's fonts down to the
// characters the staged letters print, for the letter workers. A short-lived thread of its own, so the
// knowledge base, the full fonts, HarfBuzz's memory and the reader's garbage are released when it ends;
// for a small input run-batch calls `stage` in its own thread instead (a thread's start costs more there).

import fs from 'node:fs';
import path from 'node:path';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { loadRegionConfig } from '../config/region';
import { loadTemplate } from '../letter/template';
import { facesOf, loadFontSet, narrowFontSet } from '../render/layout/fonts';
import { RejectsWriter } from './manifest';
import type { WorkerJob, WorkerResult } from './jobs';
import { pooledTrials, stageRows, type LetterTrials, type StageInput } from './stage-rows';
import { StagingStore } from './staging';
import { deserializeError, serializeError, type SerializedError } from './worker-pool';

export interface StageJob extends StageInput {
  templateDir?: string;
  configFile?: string;
  fontsDir: string;
  stagingFile: string;
  rejectsFile: string;
  /** Where the cut-down faces go, under their original file names; none are cut when absent or nothing is staged. */
  narrowedFontsDir?: string;
}

export interface StageResult {
  rowsRead: number;
  rowsRejected: number;
}

/** A face kept whole goes into the cut folder linked, not copied (up to 24 MB, mostly never read); copied where the file
 * system refuses links (Windows without the right, some volumes). */
function linkOrCopy(from: string, to: string): void {
  try {
    fs.symlinkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

/** Pass 1 (see stageRows; `onStaged` is told the rows staged so far), then the faces cut down. */
export async function stage(job: StageJob, onStaged?: (staged: number) => void, trials?: LetterTrials): Promise<StageResult> {
  const template = loadTemplate(job.templateDir);
  const region = loadRegionConfig(job.configFile);
  const fonts = loadFontSet(job.fontsDir, template.layout);
  // The faces are cut after the rows are staged: their files are read meanwhile.
  const prefetched = job.narrowedFontsDir ? Promise.all(facesOf(fonts).map((face) => face.prefetch())) : undefined;
  const store = StagingStore.create(job.stagingFile);
  const rejects = new RejectsWriter(job.rejectsFile);
  try {
    const pass1 = await stageRows(job, { template, region, fonts }, store, rejects, onStaged, trials);
    rejects.commit();
    store.close();
    if (job.narrowedFontsDir && pass1.rowsRead > pass1.rowsRejected) {
      await prefetched;
      const whole = new Set(facesOf(fonts));
      for (const face of facesOf(narrowFontSet(fonts, pass1.chars))) {
        const file = path.join(job.narrowedFontsDir, face.file);
        if (whole.has(face)) linkOrCopy(path.resolve(job.fontsDir, face.file), file);
        else fs.writeFileSync(file, face.bytes);
      }
    }
    return { rowsRead: pass1.rowsRead, rowsRejected: pass1.rowsRejected };
  } catch (e) {
    rejects.abandon();
    store.dispose();
    throw e;
  }
}

/** A trial job sent to the batch's thread for its letter workers, and its answer (see `trialRelay` in run-batch). */
export interface RelayedTrial {
  id: number;
  job: WorkerJob;
}
export interface RelayedOutcome {
  id: number;
  result?: WorkerResult;
  error?: SerializedError;
}

/**
 * This thread's trial layouts made by the batch's letter workers, through `port` (they start while the rows are read).
 * For one job (a stage worker runs one). A closed port fails the trials still waiting.
 */
export function relayedTrials(port: MessagePort): LetterTrials {
  const waiting = new Map<number, { resolve: (r: WorkerResult) => void; reject: (e: Error) => void }>();
  let next = 0;
  port.on('message', (m: RelayedOutcome) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) w?.reject(deserializeError(m.error));
    else w?.resolve(m.result as WorkerResult);
  });
  port.on('close', () => {
    for (const w of waiting.values()) w.reject(new Error('试排任务的通道已关闭'));
    waiting.clear();
  });
  return pooledTrials(
    (job) =>
      new Promise<WorkerResult>((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve, reject });
        port.postMessage({ id, job } satisfies RelayedTrial);
      }),
  );
}

const port = parentPort;
if (port) {
  const trialPort = (workerData as { trialPort?: MessagePort } | undefined)?.trialPort;
  port.on('message', (job: StageJob) => {
    stage(job, undefined, trialPort && relayedTrials(trialPort)).then(
      (result) => port.postMessage({ result }),
      (e) => port.postMessage({ error: serializeError(e) }),
    );
  });
  port.postMessage({ ready: true });
}
