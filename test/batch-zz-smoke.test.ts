import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkerPool } from '../src/batch/worker-pool';
import type { WorkerJob, WorkerResult } from '../src/batch/jobs';
import { sampleLetterData } from './fixtures/sample-letter-data';
import { defaultFontsDir } from '../src/render/layout/fonts';

test('pool', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pool-'));
  const data = sampleLetterData({ docNumber: '柳城卫职告〔2026〕1号' });
  const chars = [...new Set(JSON.stringify(data) + '职业病危害项目申报告知单你单位属于门类大类中类行业可能存在等职业病危害导致在申报变更范围内请及时如实感谢对卫生健康部门工作的理解和支持用人单位流程详见广西壮族自治区信息综合管理平台应用系统操作手册网址：http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtmlhttps://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login（）、，。“”0123456789年月日')].join('');
  const t0 = Date.now();
  const pool = new WorkerPool<WorkerJob, WorkerResult>(path.join('/work/main/src/batch/letter-worker.ts'), { fontsDir: defaultFontsDir(), chars }, 2);
  await pool.started();
  console.log('start ms', Date.now() - t0);
  const t1 = Date.now();
  const jobs = [];
  for (let j = 0; j < 10; j++) {
    jobs.push(pool.run({ kind: 'letters', items: Array.from({ length: 40 }, (_, i) => ({ data, files: { pdf: path.join(dir, `${j}-${i}.pdf`), docx: path.join(dir, `${j}-${i}.docx`) } })) }));
  }
  const res = await Promise.all(jobs);
  console.log('160 letters ms', Date.now() - t1, JSON.stringify(res.reduce((a, r) => { for (const k of Object.keys(r.ms)) (a as any)[k] = ((a as any)[k] ?? 0) + (r.ms as any)[k]; return a; }, {})));
  const t2 = Date.now();
  await pool.run({ kind: 'volume', file: path.join(dir, 'v.pdf'), items: Array(500).fill(data) });
  console.log('volume 500 ms', Date.now() - t2);
  await pool.close();
});
