import path from 'node:path';
import { WorkerPool } from './worker-pool';

interface Job {
  n: number;
  ms?: number;
}
interface Res {
  n: number;
  thread: number;
  answeredBefore: number;
}

const workerFile = path.join(__dirname, '..', '..', 'test', 'fixtures', 'batch', 'pool-worker.js');

test('a worker is handed its next job before it answers the one it runs', async () => {
  const pool = new WorkerPool<Job, Res>(workerFile, undefined, 1);
  try {
    await pool.started();
    const results = await Promise.all([pool.run({ n: 1, ms: 100 }), pool.run({ n: 2 }), pool.run({ n: 3 })]);
    expect(results.map((r) => r.n)).toEqual([1, 2, 3]);
    // Job 2 was in the worker before job 1 ended; job 3 only once job 1's place was free.
    expect(results.map((r) => r.answeredBefore)).toEqual([0, 0, 1]);
  } finally {
    await pool.close();
  }
});

test("the pool's own thread takes jobs beside the workers, one at a time; its failure fails only its job", async () => {
  let running = 0;
  let most = 0;
  const ranHere: number[] = [];
  const local = async (job: Job): Promise<Res> => {
    // The first job waits for the worker to be ready, so it takes some of the rest however slowly it starts.
    if (job.n === 1) await pool.started();
    running++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 10));
    running--;
    ranHere.push(job.n);
    if (ranHere.length === 2) throw new Error(`local job ${job.n} failed`);
    return { n: job.n, thread: 0, answeredBefore: 0 };
  };
  const pool = new WorkerPool<Job, Res>(workerFile, undefined, 1, undefined, local);
  try {
    const jobs = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => pool.run({ n, ms: 15 }));
    const settled = await Promise.allSettled(jobs);
    // The second job this thread ran failed, and only it: every other job has its own answer.
    const failed = settled.flatMap((s, i) => (s.status === 'rejected' ? [i + 1] : []));
    expect(ranHere.length).toBeGreaterThanOrEqual(2);
    expect(failed).toEqual([ranHere[1]]);
    const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    expect(done.map((r) => r.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].filter((n) => n !== ranHere[1]));
    expect(ranHere[0]).toBe(1); // the first job, before any worker was ready
    expect(done.some((r) => r.thread === 0)).toBe(true);
    expect(done.some((r) => r.thread !== 0)).toBe(true);
    expect(most).toBe(1);
  } finally {
    await pool.close();
  }
});

test('a worker that exits fails its job and the pool, saying so in Chinese with the exit code', async () => {
  const pool = new WorkerPool<Job & { exit?: number }, Res>(workerFile, undefined, 1);
  try {
    await pool.started();
    await expect(pool.run({ n: 1, exit: 3 })).rejects.toThrow('工作线程意外退出（退出码 3）');
    await expect(pool.run({ n: 2 })).rejects.toThrow('工作线程意外退出（退出码 3）');
  } finally {
    await pool.close();
  }
});
