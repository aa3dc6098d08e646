// `hazard-notice register list`: the register of letters issued, newest first, searchable and filterable.

import fs from 'node:fs';
import type { Command } from 'commander';
import { parseLetterDate } from '../../calendar/date';
import { HazardNoticeError } from '../../errors';
import { registerFileIn, resolveDataDir } from '../../register/data-dir';
import { Register, type RegisterPage, type RegisterRow } from '../../register/register';

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
    .option('--data-dir <目录>', '数据目录（默认：环境变量 HAZARD_NOTICE_DATA_DIR，否则用户数据目录）')
    .option('--ledger <文件>', '改为查看此登记簿文件（如批量生成时 --ledger 指定的文件）')
    .action((opts: ListOptions) => {
      const query = {
        q: opts.q,
        county: opts.county,
        from: opts.from === undefined ? undefined : parseLetterDate(opts.from),
        to: opts.to === undefined ? undefined : parseLetterDate(opts.to),
        page: positive('--page', opts.page, 1_000_000),
        pageSize: positive('--page-size', opts.pageSize, 200),
      };
      const file = opts.ledger ?? registerFileIn(resolveDataDir(opts.dataDir));
      let page: RegisterPage = { total: 0, page: query.page, pageSize: query.pageSize, rows: [] };
      if (fs.existsSync(file)) {
        const reg = Register.open(file);
        try {
          page = reg.search(query);
        } finally {
          reg.close();
        }
      }
      process.stdout.write(opts.json ? `${JSON.stringify(page, null, 2)}\n` : tableText(page));
    });
}
