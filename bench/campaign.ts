// Campaign bench: a synthetic employer database (CSV, default 100,000 rows across the region's counties, some without
// industry or worker count, flags set on a few) imported into a fresh data directory, a platform export of declarations
// (a third of them) matched, then `campaign status` over it, and the monthly report (status, month-end trend, PDF,
// workbook) at the year's end; prints seconds per step, peak memory (RSS, measured once at the end) and the machine's load.
// Usage: npm run bench -- --campaign [--employers 100000] [--keep]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCampaignGroups } from '../src/campaign/groups';
import { importDeclarations } from '../src/campaign/import-declarations';
import { importEmployers } from '../src/campaign/import-employers';
import { renderStatusReport } from '../src/campaign/report-pdf';
import { statusWorkbook } from '../src/campaign/report-xlsx';
import { campaignStatus, campaignTrend } from '../src/campaign/status';
import { CampaignStore } from '../src/campaign/store';
import { loadKnowledgeBase } from '../src/catalog/load';
import { loadRegionConfig } from '../src/config/region';
import { usccCheckCharacter } from '../src/input/uscc';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const EMPLOYERS = arg('--employers', 100_000);
const KIND = ['机械', '建材', '化工', '家具', '电子', '纺织', '冶金', '木业', '塑胶', '五金', '汽车配件', '食品'];

function uscc(n: number): string {
  const body = `91450200MA${String(n).padStart(7, '0')}`;
  return body + usccCheckCharacter(body);
}

function makeFiles(dir: string): { employers: string; declared: string } {
  const kb = loadKnowledgeBase();
  const counties = loadRegionConfig().counties;
  const classes = kb
    .allIndustries()
    .filter((i) => i.level === 'class')
    .map((i) => `${i.section}${i.code}`);
  let seed = 20261201;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n; // the high bits: an LCG's low bits repeat with a short period
  };
  const rows = ['单位名称,统一社会信用代码,行业代码,区县,劳动者人数,专项治理,监测,帮扶'];
  const declared = ['统一社会信用代码,单位名称,区县,申报日期,申报类型'];
  for (let i = 1; i <= EMPLOYERS; i++) {
    const county = counties[rand(counties.length)].countyName;
    const name = `柳州${KIND[rand(KIND.length)]}第${i}号有限公司`;
    const code = rand(50) === 0 ? '' : classes[rand(classes.length)];
    const workers = rand(40) === 0 ? '' : String(rand(500));
    const flag = () => (rand(20) === 0 ? '是' : '');
    const withUscc = rand(10) !== 0;
    rows.push([name, withUscc ? uscc(i) : '', code, county, workers, flag(), flag(), flag()].join(','));
    if (rand(3) === 0) {
      const date = `2025-${String(1 + rand(12)).padStart(2, '0')}-${String(1 + rand(28)).padStart(2, '0')}`;
      declared.push([withUscc ? uscc(i) : '', name, county, date, '首次申报'].join(','));
    }
  }
  const employers = path.join(dir, 'employers.csv');
  const declaredFile = path.join(dir, 'declared.csv');
  fs.writeFileSync(employers, `${rows.join('\n')}\n`);
  fs.writeFileSync(declaredFile, `${declared.join('\n')}\n`);
  return { employers, declared: declaredFile };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-bench-campaign-'));
  const seconds = (t: number) => ((performance.now() - t) / 1000).toFixed(1);
  try {
    let t = performance.now();
    const files = makeFiles(dir);
    process.stdout.write(`生成 ${EMPLOYERS} 家单位的名单：${seconds(t)} 秒\n`);
    t = performance.now();
    const kb = loadKnowledgeBase();
    const region = loadRegionConfig();
    const groups = loadCampaignGroups();
    const store = await CampaignStore.inDataDir(path.join(dir, 'data'));
    const imported = await importEmployers(store, { file: files.employers, date: '2025-01-01', prune: false }, kb, region, groups);
    process.stdout.write(`导入：${seconds(t)} 秒（新增 ${imported.added}，拒绝 ${imported.rejected.length}）\n`);
    t = performance.now();
    const again = await importEmployers(store, { file: files.employers, date: '2025-02-01', prune: false }, kb, region, groups);
    process.stdout.write(`再次导入（未变 ${again.unchanged}）：${seconds(t)} 秒\n`);
    t = performance.now();
    const declared = await importDeclarations(store, { file: files.declared }, region);
    process.stdout.write(`申报匹配 ${declared.byUscc + declared.byName} 行，未匹配 ${declared.unmatched.length} 行：${seconds(t)} 秒\n`);
    t = performance.now();
    const status = await campaignStatus(store, kb, region, groups, { asOf: '2025-06-30' });
    const city = status.rows.filter((r) => r.county === '全市').map((r) => `${r.group} ${r.declared}/${r.due}`);
    process.stdout.write(`统计（截至 2025-06-30）：${seconds(t)} 秒；全市 ${city.join('，')}；无法归类 ${status.unclassified.length}\n`);
    // The monthly report: the status as of the year's end, its month-end trend, the PDF and the workbook.
    t = performance.now();
    const yearEnd = await campaignStatus(store, kb, region, groups, { asOf: '2025-12-31' });
    const tStatus = seconds(t);
    t = performance.now();
    const trend = await campaignTrend(store, kb, region, groups, { asOf: '2025-12-31' });
    const tTrend = seconds(t);
    t = performance.now();
    const pdf = renderStatusReport(yearEnd, { trend, bureau: region.bureau });
    const tPdf = seconds(t);
    t = performance.now();
    const xlsx = await statusWorkbook(yearEnd);
    process.stdout.write(
      `进度报告（截至 2025-12-31）：统计 ${tStatus} 秒，趋势 ${trend.length} 个月末 ${tTrend} 秒，PDF ${tPdf} 秒（${Math.round(pdf.length / 1024)} KB），` +
        `工作簿 ${seconds(t)} 秒（未申报 ${yearEnd.pending.length} 家，${Math.round(xlsx.length / 1024)} KB）\n`,
    );
    await store.close();
    const { maxRSS } = process.resourceUsage();
    const load = os.loadavg().map((l) => l.toFixed(2));
    process.stdout.write(
      `峰值内存（RSS）${Math.round(maxRSS / 1024)} MB；负载 ${load.join(' / ')}（1/5/15 分钟），${os.cpus().length} 核\n`,
    );
  } finally {
    if (!process.argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
  process.exit(1);
});
