// `hazard-notice register list`: the register of letters issued, newest first, searchable and filterable.
// `register export` / `register import`: the whole register as one file (transfer.ts), for backup, moving to
// PostgreSQL, and audit.

import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parseLetterDate } from '../../calendar/date';
import { HazardNoticeError } from '../../errors';
import { writeFileAtomic } from '../../output-files/atomic-file';
import { withFileErrors } from '../../output-files/fs-error';
import { registerFileIn, resolveDataDir } from '../../register/data-dir';
import { Register, type RegisterPage, type RegisterRow } from '../../register/register';
import { isPostgresUrl, resolveDatabase } from '../../register/storage';
import { exportCsv, exportJson, exportRegister, importRegister, parseExport } from '../../register/transfer';
import { DATABASE_HELP } from '../database-option';

interface ListOptions {
  q?: string;
  county?: string;
  from?: string;
  to?: string;
  page: string;
  pageSize: string;
  json?: boolean;
  dataDir?: string;
  ledger?: string;
  database?: string;
}

interface DatabaseOptions {
  dataDir?: string;
  database?: string;
}

const DATA_DIR_HELP = '数据目录（默认：环境变量 HAZARD_NOTICE_DATA_DIR，否则用户数据目录）';

/** The register the options name: --database, else the data directory's (created when missing). */
async function openRegister(opts: DatabaseOptions): Promise<Register> {
  return Register.inDataDir(resolveDataDir(opts.dataDir), { database: resolveDatabase(opts.database) });
}

const SOURCE_NAMES = { batch: '批量', cli: '命令行', web: '网页' } as const;
const HEADERS = ['编号', '文号', '单位名称', '统一社会信用代码', '区县', '日期', '来源', '登记时间'];

function positive(option: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new HazardNoticeError('E_ARG_PAGE', `${option} “${value}”无效：应为 1 到 ${max} 的整数`);
  return n;
}

function sourceText(r: RegisterRow): string {
  return r.source.kind === 'batch' ? `${SOURCE_NAMES.batch}（${r.source.file} 第 ${r.source.row} 行）` : SOURCE_NAMES[r.source.kind];
}

/** Tab-separated, one letter a line under Chinese headers (pastes into a spreadsheet), then the count. */
function tableText(page: RegisterPage): string {
  if (page.total === 0) return '登记簿中没有符合条件的告知单\n';
  const lines = [HEADERS.join('\t')];
  for (const r of page.rows) {
    lines.push([r.id, r.docNumber, r.name, r.uscc ?? '', r.county.name, r.date, sourceText(r), r.createdAt].join('\t'));
  }
  const pages = Math.ceil(page.total / page.pageSize);
  lines.push(`共 ${page.total} 份，第 ${page.page}/${pages} 页`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  const group = program.command('register').description('登记簿：所有已出具告知单（批量、命令行、网页）的文号与记录').helpCommand(false);
  group
    .command('list')
    .description('列出登记簿中的告知单，新的在前')
    .option('--q <文字>', '按单位名称、统一社会信用代码或文号查找（包含即可）')
    .option('--county <区县>', '只列此区县（名称或区划代码）')
    .option('--from <YYYY-MM-DD>', '告知单日期不早于')
    .option('--to <YYYY-MM-DD>', '告知单日期不晚于')
    .option('--page <N>', '页码', '1')
    .option('--page-size <N>', '每页条数（1–200）', '50')
    .option('--json', '以 JSON 输出（total、page、pageSize、rows）')
    .option('--data-dir <目录>', DATA_DIR_HELP)
    .option('--database <地址>', DATABASE_HELP)
    .option('--ledger <文件>', '改为查看此登记簿文件（如批量生成时 --ledger 指定的文件）')
    .action(async (opts: ListOptions) => {
      const query = {
        q: opts.q,
        county: opts.county,
        from: opts.from === undefined ? undefined : parseLetterDate(opts.from),
        to: opts.to === undefined ? undefined : parseLetterDate(opts.to),
        page: positive('--page', opts.page, 1_000_000),
        pageSize: positive('--page-size', opts.pageSize, 200),
      };
      const database = resolveDatabase(opts.database);
      const target = opts.ledger ?? database ?? registerFileIn(resolveDataDir(opts.dataDir));
      let page: RegisterPage = { total: 0, page: query.page, pageSize: query.pageSize, rows: [] };
      if (isPostgresUrl(target) || fs.existsSync(target)) {
        const reg = await Register.open(target, { dataDir: resolveDataDir(opts.dataDir) });
        try {
          page = await reg.search(query);
        } finally {
          await reg.close();
        }
      }
      process.stdout.write(opts.json ? `${JSON.stringify(page, null, 2)}\n` : tableText(page));
    });

  group
    .command('export')
    .description('导出整个登记簿（文号、告知单记录及其文件的 SHA-256、签名、批次记录、申报扩面数据库）：备份、迁移到 PostgreSQL、审计')
    .option('--format <格式>', 'json：完整导出，可用 register import 导入；csv：告知单清单（供表格软件审计，不能导入）', 'json')
    .option('--out <文件>', '输出文件（默认：输出到屏幕）')
    .option('--data-dir <目录>', DATA_DIR_HELP)
    .option('--database <地址>', DATABASE_HELP)
    .action(async (opts: DatabaseOptions & { format: string; out?: string }) => {
      if (opts.format !== 'json' && opts.format !== 'csv') {
        throw new HazardNoticeError('E_ARG_FORMAT', `--format “${opts.format}”无效：应为 json 或 csv`);
      }
      const reg = await openRegister(opts);
      let text: string;
      try {
        const doc = await exportRegister(reg);
        text = opts.format === 'json' ? exportJson(doc) : exportCsv(doc);
      } finally {
        await reg.close();
      }
      if (!opts.out) {
        process.stdout.write(text);
        return;
      }
      const out = path.resolve(opts.out);
      withFileErrors(out, () => fs.mkdirSync(path.dirname(out), { recursive: true }));
      writeFileAtomic(out, Buffer.from(text, 'utf8'));
      process.stderr.write(`已导出到：${out}\n`);
    });

  group
    .command('import')
    .description('把 register export 导出的 JSON 导入一个空的登记簿（如新建的 PostgreSQL 库）：全部导入或一行不导入')
    .argument('<文件>', 'register export --format json 导出的文件')
    .option('--data-dir <目录>', DATA_DIR_HELP)
    .option('--database <地址>', DATABASE_HELP)
    .action(async (file: string, opts: DatabaseOptions) => {
      const text = withFileErrors(file, () => fs.readFileSync(file, 'utf8'));
      const doc = parseExport(text, file);
      const reg = await openRegister(opts);
      try {
        const counts = await importRegister(reg, doc, file);
        process.stdout.write(
          `已导入到登记簿：${reg.location}\n告知单 ${counts.letters} 份，文号 ${counts.numbers} 个，批次文件 ${counts.files} 个，` +
            `申报扩面单位 ${counts.campaign_employers} 家\n`,
        );
      } finally {
        await reg.close();
      }
    });
}
