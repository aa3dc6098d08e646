// `hazard-notice batch`: the employer spreadsheet in, letters per county, print volumes and manifest out.

import type { Command } from 'commander';
import { Progress } from '../../batch/progress';
import { isSmallInput, runBatch, type BatchSummary } from '../../batch/run-batch';
import { parseLetterDate, todayInChina } from '../../calendar/date';
import { resolveDatabase } from '../../register/storage';
import { certificateSha256, certificateSubject } from '../../render/pdf/signing-key';
import { DATABASE_HELP } from '../database-option';
import { forgoOptimisingCompiler } from '../engine-tuning';
import { parseFormats, parseJobs } from '../formats';
import { SIGN_OPTION_HELP, signingKeyOption } from '../sign-option';

/** Exit codes of `batch` (README “批量生成”); usage and configuration errors exit 2 via the CLI. */
export const BATCH_EXIT = {
  ALL_MADE: 0,
  SOME_REJECTED: 1,
  USAGE: 2,
  NOTHING_MADE: 3,
} as const;

interface BatchCliOptions {
  out: string;
  format: string;
  receipt?: boolean;
  annex?: boolean;
  date?: string;
  template?: string;
  config?: string;
  columns?: string;
  sheet?: string;
  jobs?: string;
  ledger?: string;
  database?: string;
  dataDir?: string;
  dryRun?: boolean;
  force?: boolean;
  pdfa?: boolean;
  sign?: string;
}

export function exitCodeOf(s: BatchSummary): number {
  if (s.lettersMade === 0) return BATCH_EXIT.NOTHING_MADE;
  return s.rowsRejected > 0 ? BATCH_EXIT.SOME_REJECTED : BATCH_EXIT.ALL_MADE;
}

export function summaryText(s: BatchSummary): string {
  const lines = [
    s.dryRun
      ? `试运行（未生成文件、未编文号）：读取 ${s.rowsRead} 行，可生成告知单 ${s.lettersMade} 份，拒绝 ${s.rowsRejected} 行`
      : `读取 ${s.rowsRead} 行，生成告知单 ${s.lettersMade} 份（其中 ${s.lettersKept} 份为上次已完成、校验后保留），拒绝 ${s.rowsRejected} 行`,
  ];
  for (const c of s.counties) lines.push(`  ${c.name}：${c.letters} 份${c.volumes > 0 ? `，打印合订本 ${c.volumes} 册` : ''}`);
  if (s.rowsRejected > 0) lines.push(`被拒绝的行及原因见：${s.rejectsFile}`);
  if (!s.dryRun && s.lettersMade > 0) lines.push(`输出目录：${s.outDir}（清单：manifest.csv、manifest.json）`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('batch')
    .description('按用人单位名单（Excel/CSV/JSON/YAML）批量生成告知单：按区县分目录、编文号、出打印合订本和清单')
    .argument('<文件>', '用人单位名单文件')
    .option('--out <目录>', '输出目录', 'out')
    .option('--format <格式>', '输出格式：pdf、docx 或 pdf,docx', 'pdf,docx')
    .option('--annex', '每份告知单之后加一页附件1（申报依据）')
    .option('--receipt', '每份告知单最后加一页送达回证；打印合订本按双面打印排页，回证单独一张纸')
    .option('--date <YYYY-MM-DD>', '告知单日期（默认：今天，北京时间）')
    .option('--template <目录>', '模板目录（默认：随附的附件2模板）')
    .option('--config <文件>', '区域配置文件（默认：随附的柳州市配置）')
    .option('--columns <文件>', '列名对照文件（表头与默认列名不同时使用）')
    .option('--sheet <工作表>', 'Excel 工作表名称（默认：第一个工作表）')
    .option('--pdfa', 'PDF 按 PDF/A-2b（长期存档格式）输出：含 XMP 元数据和 sRGB 输出意图（告知单和打印合订本）')
    .option('--jobs <N>', '并行生成的线程数（默认：CPU 核数）')
    .option('--data-dir <目录>', '数据目录：登记簿 register.sqlite 所在（默认：环境变量 HAZARD_NOTICE_DATA_DIR，否则用户数据目录）')
    .option('--database <地址>', DATABASE_HELP)
    .option('--ledger <文件>', '改用此文件作登记簿（文号登记库；旧版本输出目录中的 .ledger.sqlite 可在此指定，自动升级）')
    .option('--dry-run', '只校验并汇总，不生成告知单、不编文号（仍写出 rejects.csv）')
    .option('--force', '输出目录中已有其他批次的文件时，删除并替换它们')
    .option('--sign <证书.p12>', `${SIGN_OPTION_HELP}（每份告知单和每册打印合订本）`)
    .addHelpText(
      'after',
      '\n退出码：0 全部生成；1 部分行被拒绝（见 rejects.csv）；2 参数或配置错误、输出目录已被其他批次占用；3 没有生成任何告知单。\n' +
        '中断（Ctrl-C、断电等）后用同一命令重新运行即可续做：已完成的文件经 SHA-256 校验后保留，文号不重复、不跳号。\n',
    )
    .action(async (file: string, opts: BatchCliOptions) => {
      if (isSmallInput(file)) forgoOptimisingCompiler();
      const formats = parseFormats(opts.format);
      const date = opts.date ? parseLetterDate(opts.date) : todayInChina();
      const signingKey = signingKeyOption(opts.sign, formats);
      const progress = new Progress(process.stderr);
      const summary = await runBatch({
        input: file,
        out: opts.out,
        formats,
        render: { annex: opts.annex === true, receipt: opts.receipt === true, pdfa: opts.pdfa === true },
        date,
        templateDir: opts.template,
        configFile: opts.config,
        columnsFile: opts.columns,
        sheet: opts.sheet,
        jobs: parseJobs(opts.jobs),
        joinWorkers: true,
        ledgerFile: opts.ledger,
        database: resolveDatabase(opts.database),
        dataDir: opts.dataDir,
        dryRun: opts.dryRun === true,
        force: opts.force === true,
        onProgress: (done, total) => progress.update(done, total),
        signingKey,
      });
      process.stdout.write(summaryText(summary));
      if (signingKey && !summary.dryRun && summary.lettersMade > 0) {
        process.stdout.write(`PDF 均已签名：${certificateSubject(signingKey)}（证书 SHA-256 ${certificateSha256(signingKey)}）\n`);
      }
      process.exitCode = exitCodeOf(summary);
    });
}
