// `npm run bench -- --server [--seconds 60] [--database postgres://… | --postgres]`: the web app under load on
// loopback. Single-letter latency (POST /api/letters, sequential, warm), then 20 concurrent clients (autocannon) for
// the given time; every answer must be 201 and every number issued unique. The register is a fresh SQLite file, or the
// PostgreSQL database given, or with --postgres a throwaway cluster (fsync on).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { resolveDatabase } from '../src/register/storage';
import { buildWebApp } from '../src/web/server';
import { PostgresCluster } from '../test/postgres-cluster';

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};

function letter(n: number): string {
  return JSON.stringify({ name: `压测单位${n}有限公司`, industry: 'C3011', county: '柳城县', date: '2026-11-29', hazards: ['噪声'] });
}

async function main(): Promise<void> {
  const seconds = arg('--seconds', 60);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-bench-server-'));
  const cluster = process.argv.includes('--postgres') ? await PostgresCluster.create({ durable: true }) : undefined;
  const at = process.argv.indexOf('--database');
  const database = cluster ? await cluster.createDatabase('bench') : resolveDatabase(at >= 0 ? process.argv[at + 1] : undefined, {});
  process.stdout.write(`登记簿：${database ? 'PostgreSQL' : 'SQLite'}\n`);
  const { app, desk } = await buildWebApp({ dataDir, ...(database && { database }) });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  let n = 0;
  const post = async () => {
    const res = await fetch(`${base}/api/letters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: letter(n++) });
    if (res.status !== 201) throw new Error(`POST /api/letters: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  for (let i = 0; i < 30; i++) await post(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await post();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(1);
  process.stdout.write(`单份告知单（PDF+DOCX，顺序 200 次，已预热）：p50 ${pct(50)} ms，p95 ${pct(95)} ms，最大 ${pct(100)} ms\n`);

  const result = await autocannon({
    url: `${base}/api/letters`,
    connections: 20,
    duration: seconds,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: letter(n++) }) }],
  });
  const non201 = result.non2xx + result.errors + result.timeouts;
  // autocannon stops at the deadline with requests still in the server: wait until the register stops growing.
  const count = async () => (await desk.register.search({ pageSize: 1 })).total;
  let total = await count();
  for (let settled = false; !settled;) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await count();
    settled = now === total;
    total = now;
  }
  const numbers = new Set<string>();
  for (let page = 1; page <= Math.ceil(total / 200); page++)
    for (const r of (await desk.register.search({ pageSize: 200, page })).rows) numbers.add(r.docNumber);
  process.stdout.write(
    `20 个并发客户端 ${seconds} 秒：${result.requests.total} 次请求，${result.requests.average.toFixed(1)} 次/秒，` +
      `延迟 p50 ${result.latency.p50} ms、p97.5 ${result.latency.p97_5} ms、p99 ${result.latency.p99} ms；` +
      `非 201 或出错 ${non201} 次；登记簿 ${total} 份，文号 ${numbers.size} 个${numbers.size === total ? '（无重复）' : '（有重复！）'}\n`,
  );
  await app.close();
  cluster?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (non201 > 0 || numbers.size !== total) process.exitCode = 1;
}

void main();
