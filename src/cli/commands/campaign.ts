// `hazard-notice campaign`: the action plan's loop — the employer database, declarations, progress against the plan's
// targets, and follow-up letters — on the register's data directory.

import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parseLetterDate, todayInChina } from '../../calendar/date';
import { loadKnowledgeBase } from '../../catalog/load';
import { loadRegionConfig } from '../../config/region';
import { HazardNoticeError } from '../../errors';
import { writeFileAtomic } from '../../output-files/atomic-file';
import { withFileErrors } from '../../output-files/fs-error';
import { resolveDataDir } from '../../register/data-dir';
import { resolveDatabase } from '../../register/storage';
import { DATABASE_HELP } from '../database-option';
import { loadCampaignGroups } from '../../campaign/groups';
import { CampaignStore } from '../../campaign/store';
import { parseFormats, parseJobs } from '../formats';

interface CommonOptions {
  dataDir?: string;
  database?: string;
  config?: string;
  groups?: string;
}

const DATA_DIR_HELP =
  '数据目录：登记簿 register.sqlite 所在，申报扩面数据库与之同一文件（默认：环境变量 HAZARD_NOTICE_DATA_DIR，否则用户数据目录）';

function common(cmd: Command): Command {
  return cmd
    .option('--data-dir <目录>', DATA_DIR_HELP)
    .option('--database <地址>', DATABASE_HELP)
    .option('--config <文件>', '区域配置文件（默认：随附的柳州市配置）')
    .option('--groups <文件>', '目标组定义文件（默认：随附的 data/campaign-groups.yaml）');
}

async function withStore<T>(opts: CommonOptions, fn: (store: CampaignStore) => Promise<T> | T): Promise<T> {
  const store = await CampaignStore.inDataDir(resolveDataDir(opts.dataDir), { database: resolveDatabase(opts.database) });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The progress report's format, by the --out file's extension. */
function reportFormat(file: string): 'xlsx' | 'pdf' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.pdf') return 'pdf';
  throw new HazardNoticeError(
    'E_REPORT_FORMAT',
    `--out “${file}”：进度报告只能写成 .xlsx（Excel 工作簿）或 .pdf（进度报告）文件，按扩展名区分`,
  );
}

function parseDays(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 3650) throw new HazardNoticeError('E_ARG_DAYS', `--days “${value}”无效：应为 0 到 3650 的整数`);
  return n;
}

export function register(program: Command): void {
  const campaign = program
    .command('campaign')
    .description('申报扩面行动：用人单位数据库、申报情况、按方案目标统计进度、催报')
    .addHelpText(
      'after',
      '\n各子命令的用法：hazard-notice campaign <子命令> --help。组的定义见 data/campaign-groups.yaml，JSON 字段见 docs/campaign.md。\n',
    );

  common(
    campaign
      .command('import')
      .description('导入（或更新）用人单位数据库：表头识别同 batch，另识别劳动者人数和专项治理、监测、帮扶标记（是/否、Y/N、1/0、✓）')
      .argument('<文件>', '用人单位数据库文件（xlsx/csv/json/yaml）'),
  )
    .option('--date <YYYY-MM-DD>', '名单的日期：本次导入的增、改、删都记在这一天（默认：今天，北京时间）')
    .option('--prune', '删除数据库中有、本次名单中没有的单位（删除也记日期，过去的统计不变；有被拒绝的行时不删除）')
    .option('--columns <文件>', '列名对照文件（表头与默认列名不同时使用）')
    .option('--sheet <工作表>', 'Excel 工作表名称（默认：第一个工作表）')
    .addHelpText('after', '\n退出码：0 全部导入；1 有行被拒绝（其余照常导入）；2 参数、文件或配置错误。\n')
    .action(async (file: string, opts: CommonOptions & { date?: string; prune?: boolean; columns?: string; sheet?: string }) => {
      const { importEmployers } = await import('../../campaign/import-employers');
      const date = opts.date ? parseLetterDate(opts.date) : todayInChina();
      const region = loadRegionConfig(opts.config);
      const groups = loadCampaignGroups(opts.groups);
      const kb = loadKnowledgeBase();
      const options = { file, date, prune: opts.prune === true, sheet: opts.sheet, columnsFile: opts.columns };
      const s = await withStore(opts, (store) => importEmployers(store, options, kb, region, groups));
      for (const e of s.rejected) process.stderr.write(`拒绝（${e.code}）：${e.message}\n`);
      const lines = [
        `读取 ${s.rowsRead} 行（名单日期 ${s.date}）：新增 ${s.added}，更新 ${s.updated}，未变 ${s.unchanged}，拒绝 ${s.rejected.length}`,
      ];
      for (const f of s.flagsWithoutColumn) lines.push(`注意：名单中没有“${f}”列，所有单位按未标记“${f}”计`);
      if (s.missing.length > 0) {
        const what = s.removed ? `已删除（记为 ${s.date} 删除）` : '仍保留（加 --prune 删除）';
        lines.push(`数据库中有、本次名单中没有的单位 ${s.missing.length} 家，${what}：`);
        for (const m of s.missing) lines.push(`  ${m.county}  ${m.name}${m.uscc ? `（${m.uscc}）` : ''}`);
      }
      if (s.pruneSkipped) lines.push('有被拒绝的行，未执行 --prune（以免删除只是本次填错的单位）；改正后重新导入');
      process.stdout.write(`${lines.join('\n')}\n`);
      process.exitCode = s.rejected.length > 0 ? 1 : 0;
    });

  common(
    campaign
      .command('declared')
      .description('导入信息平台导出的已申报单位（统一社会信用代码和/或单位名称、区县、申报日期、申报类型）')
      .argument('<文件>', '已申报单位文件（xlsx/csv/json/yaml）'),
  )
    .option('--unmatched <文件>', '未匹配行的报告（CSV，默认：与输入文件同目录的“<文件名>_未匹配.csv”）')
    .option('--columns <文件>', '列名对照文件（表头与默认列名不同时使用）')
    .option('--sheet <工作表>', 'Excel 工作表名称（默认：第一个工作表）')
    .addHelpText(
      'after',
      '\n先按统一社会信用代码匹配，再按区县 + 单位名称匹配（名称中的全角半角、空格统一，（）【】〔〕[] 视同 ()，英文字母不分大小写）。' +
        '\n未匹配的行连同原因写入报告文件，不会丢弃。退出码：0 全部匹配；1 有未匹配的行；2 参数、文件或配置错误。\n',
    )
    .action(async (file: string, opts: CommonOptions & { unmatched?: string; columns?: string; sheet?: string }) => {
      const { importDeclarations } = await import('../../campaign/import-declarations');
      const region = loadRegionConfig(opts.config);
      const s = await withStore(opts, (store) =>
        importDeclarations(store, { file, unmatchedFile: opts.unmatched, sheet: opts.sheet, columnsFile: opts.columns }, region),
      );
      const matched = s.byUscc + s.byName;
      process.stdout.write(
        `读取 ${s.rowsRead} 行：匹配 ${matched} 行（按统一社会信用代码 ${s.byUscc}，按区县和名称 ${s.byName}；其中 ${s.alreadyRecorded} 行此前已记录），` +
          `未匹配 ${s.unmatched.length} 行\n未匹配的行及原因：${s.unmatchedFile}\n`,
      );
      process.exitCode = s.unmatched.length > 0 ? 1 : 0;
    });

  common(campaign.command('status').description('按方案目标统计应报、已告知、已申报和申报率（各区县、全市）'))
    .option('--as-of <YYYY-MM-DD>', '统计截至这一天（默认：今天，北京时间）；过去的日期给出当时的情况')
    .option('--county <区县>', '只统计这个区县')
    .option('--json', '输出 JSON（字段见 docs/campaign.md）')
    .option('--out <文件>', '另写出进度报告：.xlsx 工作簿（汇总、各区县未申报单位）或 .pdf 报告（含以往各月末的变化，最多 24 个月）')
    .action(async (opts: CommonOptions & { asOf?: string; county?: string; json?: boolean; out?: string }) => {
      const { campaignStatus, campaignTrend, countiesFor } = await import('../../campaign/status');
      const { statusText } = await import('../../campaign/status-table');
      const asOf = opts.asOf ? parseLetterDate(opts.asOf) : todayInChina();
      const format = opts.out === undefined ? undefined : reportFormat(opts.out);
      const region = loadRegionConfig(opts.config);
      const groups = loadCampaignGroups(opts.groups);
      const kb = loadKnowledgeBase();
      const options = { asOf, county: opts.county };
      const { status, trend } = await withStore(opts, async (store) => ({
        status: await campaignStatus(store, kb, region, groups, options),
        trend: format === 'pdf' ? await campaignTrend(store, kb, region, groups, options) : undefined,
      }));
      if (opts.out !== undefined) {
        const file = path.resolve(opts.out);
        withFileErrors(path.dirname(file), () => fs.mkdirSync(path.dirname(file), { recursive: true }));
        if (format === 'xlsx') {
          const { writeStatusWorkbook } = await import('../../campaign/report-xlsx');
          await writeStatusWorkbook(status, file);
        } else {
          const { renderStatusReport } = await import('../../campaign/report-pdf');
          // The issuer: the county's bureau for one county, else the region's health commission (when configured).
          const bureau = opts.county === undefined ? region.bureau : countiesFor(region, opts.county)[0].name;
          writeFileAtomic(file, renderStatusReport(status, { trend, bureau }));
        }
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      else process.stdout.write(statusText(status) + (opts.out === undefined ? '' : `\n进度报告：${path.resolve(opts.out)}\n`));
    });

  common(
    campaign
      .command('followup')
      .description('催报：告知已满 N 天仍未申报的单位，经批量流程生成催报告知单（编文号、记入登记簿、打印合订本），并写出入户指导工作表'),
  )
    .requiredOption('--out <目录>', '输出目录')
    .option('--days <N>', '告知后满多少天仍未申报即催报', '30')
    .option('--date <YYYY-MM-DD>', '催报告知单的日期，天数从这一天往前算（默认：今天，北京时间）')
    .option('--county <区县>', '只催报这个区县')
    .option('--deadline <YYYY-MM-DD>', '催报告知单上的申报期限（不给出时留空白“　　年　　月　　日”由经办人手填）')
    .option('--template <目录>', `催报告知单模板目录（默认：随附的 templates/reminder/）`)
    .option('--format <格式>', '输出格式：pdf、docx 或 pdf,docx', 'pdf,docx')
    .option('--jobs <N>', '并行生成的线程数（默认：CPU 核数）')
    .addHelpText(
      'after',
      '\n输出：<目录>/催报名单.csv（送入批量流程的名单）、<目录>/催报告知单/（告知单、打印合订本、manifest、rejects.csv）、' +
        '<目录>/入户指导工作表.xlsx。\n催报告知单注明每家单位在登记簿中最近一份告知单（催报日期以前的）的文号和日期。\n退出码：0 成功（含没有需要催报的单位）；1 有单位未能生成催报告知单（见 rejects.csv）；2 参数、文件或配置错误。\n',
    )
    .action(
      async (
        opts: CommonOptions & { out: string; days: string; date?: string; county?: string; template?: string; deadline?: string } & {
          format: string;
          jobs?: string;
        },
      ) => {
        const { runFollowup } = await import('../../campaign/followup');
        const date = opts.date ? parseLetterDate(opts.date) : todayInChina();
        const deadline = opts.deadline === undefined ? undefined : parseLetterDate(opts.deadline);
        if (deadline !== undefined && deadline <= date) {
          throw new HazardNoticeError('E_ARG_DEADLINE', `--deadline “${opts.deadline}”：申报期限应晚于催报告知单的日期 ${date}`);
        }
        const region = loadRegionConfig(opts.config);
        const groups = loadCampaignGroups(opts.groups);
        const kb = loadKnowledgeBase();
        const followup = {
          deadline,
          out: opts.out,
          date,
          days: parseDays(opts.days),
          county: opts.county,
          templateDir: opts.template,
          formats: parseFormats(opts.format),
          jobs: parseJobs(opts.jobs),
          configFile: opts.config,
          dataDir: opts.dataDir,
          database: resolveDatabase(opts.database),
        };
        const s = await withStore(opts, (store) => runFollowup(store, kb, region, groups, followup));
        const lines = [`告知满 ${followup.days} 天仍未申报的单位：${s.employers} 家（截至 ${date}）`];
        if (s.batch) {
          const b = s.batch;
          lines.push(
            `生成催报告知单 ${b.lettersMade} 份（其中 ${b.lettersKept} 份为上次已完成、校验后保留），拒绝 ${b.rowsRejected} 行；输出目录：${b.outDir}`,
          );
          for (const c of s.batch.counties)
            lines.push(`  ${c.name}：${c.letters} 份${c.volumes > 0 ? `，打印合订本 ${c.volumes} 册` : ''}`);
          if (s.batch.rowsRejected > 0) lines.push(`未能生成的单位及原因见：${s.batch.rejectsFile}`);
        }
        lines.push(`入户指导工作表：${s.workSheet}`);
        process.stdout.write(`${lines.join('\n')}\n`);
        process.exitCode = s.batch && s.batch.rowsRejected > 0 ? 1 : 0;
      },
    );
}
