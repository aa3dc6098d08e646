// Worker thread: the letter work (letter-work) on the jobs the batch posts.

import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerJob, WorkerSetup } from './jobs';
import { load, run } from './letter-work';
import { serializeError } from './worker-pool';

const port = parentPort!;
try {
  const loaded = load(workerData as WorkerSetup);
  // Jobs run one at a time in the order they came (the pool hands out the next before this one ends).
  let previous: Promise<void> = Promise.resolve();
  // Exactly one answer per job, in order: a result that cannot be posted is answered with its error.
  const answer = (message: { result: unknown } | { error: ReturnType<typeof serializeError> }) => {
    try {
      port.postMessage(message);
    } catch (e) {
      try {
        port.postMessage({ error: serializeError(e) });
      } catch {
        port.postMessage({ error: { message: String(e) } });
      }
    }
  };
  port.on('message', (job: WorkerJob) => {
    previous = previous
      .then(() => run(loaded, job))
      .then(
        (result) => answer({ result }),
        (e) => answer({ error: serializeError(e) }),
      );
  });
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ error: serializeError(e) });
}
