// `hazard-notice letter`: one letter on demand, for an officer.

import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../output-files/atomic-file';
import { withFileErrors } from '../../output-files/fs-error';
import { safeFileStem } from '../../output-files/file-names';
import { loadKnowledgeBase } from '../../catalog/load';
import { loadIndustryOverrides } from '../../catalog/overrides';
import { loadRegionConfig } from '../../config/region';
import { HazardNoticeError } from '../../errors';
import type { EmployerRecord } from '../../input/employer';
import { checkUscc } from '../../input/uscc';
import { loadTemplate } from '../../letter/template';
import { defaultFontsDir, loadFontSet } from '../../render/layout/fonts';
import { parseLetterDate, todayInChina } from '../../calendar/date';
import { resolveRecord } from '../../resolve/resolve-record';
import { resolveDataDir } from '../../register/data-dir';
import { issueLetter } from '../../register/issue-letter';
import { Register } from '../../register/register';
import { resolveDatabase } from '../../register/storage';
import { DATABASE_HELP } from '../database-option';
import { forgoOptimisingCompiler } from '../engine-tuning';
import { parseFormats, type OutputFormat } from '../formats';
import { SIGN_OPTION_HELP, signingKeyOption } from '../sign-option';

interface LetterOptions {
  name: string;
  industry: string;
  county: string;
  uscc?: string;
  hazards?: string;
  date?: string;
  format: string;
  receipt?: boolean;
  annex?: boolean;
  out?: string;
  template?: string;
  config?: string;
  dataDir?: string;
  database?: string;
  pdfa?: boolean;
  sign?: string;
}

/** Where each format goes: --out names a file (one format, matching extension) or a folder. */
function outputPaths(out: string | undefined, employer: string, formats: OutputFormat[]): Record<OutputFormat, string> {
  const target = path.resolve(out ?? '.');
  const ext = path.extname(target).toLowerCase().slice(1);
  const paths = {} as Record<OutputFormat, string>;
  if (ext === 'pdf' || ext === 'docx') {
    if (formats.length !== 1 || formats[0] !== ext) {
      throw new HazardNoticeError(
        'E_ARG_OUT',
        `--out “${out}”是一个 .${ext} 文件，只能输出一种格式（--format ${ext}）；输出多种格式时请给出目录`,
      );
    }
    paths[ext] = target;
    return paths;
  }
  for (const f of formats) paths[f] = path.join(target, `${safeFileStem(`职业病危害项目申报告知单_${employer}`)}.${f}`);
  return paths;
}

export function register(program: Command): void {
  program
    .command('letter')
    .description('为一个用人单位生成告知单（PDF 和/或 Word）')
    .requiredOption('--name <单位名称>', '用人单位名称')
    .requiredOption('--industry <行业>', '行业代码或名称（国民经济行业分类 GB/T 4754-2017，须到中类），如 C3011、水泥制造')
    .requiredOption('--county <区县>', '所在区县（区域配置中的名称或区划代码），决定署名的卫生健康局')
    .option('--uscc <统一社会信用代码>', '统一社会信用代码（18 位，写入文档属性）')
    .option('--hazards <危害因素>', '该单位自身的危害因素，以逗号或顿号分隔，列在行业危害因素之前，如 苯,噪声')
    .option('--date <YYYY-MM-DD>', '告知单日期（默认：今天，北京时间）')
    .option('--format <格式>', '输出格式：pdf、docx 或 pdf,docx', 'pdf,docx')
    .option('--annex', '告知单之后加一页附件1（用人单位进行职业病危害因素申报依据）')
    .option('--receipt', '最后加一页送达回证（由送达人带回，归入执法案卷）')
    .option('--out <文件或目录>', '输出文件（单一格式时可为 .pdf/.docx 文件）或目录（默认：当前目录）')
    .option('--template <目录>', '模板目录（默认：随附的附件2模板）')
    .option('--config <文件>', '区域配置文件（默认：随附的柳州市配置）')
    .option('--pdfa', 'PDF 按 PDF/A-2b（长期存档格式）输出：含 XMP 元数据和 sRGB 输出意图')
    .option(
      '--data-dir <目录>',
      '数据目录：登记簿（register.sqlite）和留存的告知单文件所在（默认：环境变量 HAZARD_NOTICE_DATA_DIR，否则用户数据目录）',
    )
    .option('--database <地址>', DATABASE_HELP)
    .option('--sign <证书.p12>', SIGN_OPTION_HELP)
    .action(async (opts: LetterOptions) => {
      forgoOptimisingCompiler();
      const formats = parseFormats(opts.format);
      const signingKey = signingKeyOption(opts.sign, formats);
      const date = opts.date ? parseLetterDate(opts.date) : todayInChina();
      let uscc: string | undefined;
      if (opts.uscc !== undefined) {
        const checked = checkUscc(opts.uscc);
        if (!checked.ok) throw new HazardNoticeError(checked.code, `--uscc “${opts.uscc}”：${checked.reason}`);
        uscc = checked.value;
      }
      const template = loadTemplate(opts.template);
      const region = loadRegionConfig(opts.config);
      const record: EmployerRecord = {
        source: { file: '命令行参数', row: 1 },
        name: opts.name.trim(),
        uscc,
        industry: opts.industry,
        county: opts.county,
        hazards: opts.hazards
          ?.split(/[,，、;；]/)
          .map((h) => h.trim())
          .filter(Boolean),
        columns: { name: '--name', industry: '--industry', county: '--county', hazards: '--hazards', uscc: '--uscc' },
      };
      const kb = loadKnowledgeBase();
      const overrides = region.industryOverrides ? loadIndustryOverrides(region.industryOverrides, kb) : undefined;
      const resolved = resolveRecord(record, { kb, region, date, maxHazards: template.maxHazards, overrides });
      if (!resolved.ok) {
        const [first, ...rest] = resolved.errors;
        throw new HazardNoticeError(first.code, [first, ...rest].map((e) => e.message.replace(/^命令行参数 第 1 行/, '参数')).join('\n'));
      }
      const paths = outputPaths(opts.out, resolved.data.employer.name, formats);
      const fonts = loadFontSet(defaultFontsDir(), template.layout);
      const register = await Register.inDataDir(resolveDataDir(opts.dataDir), { database: resolveDatabase(opts.database) });
      try {
        const render = { annex: opts.annex === true, receipt: opts.receipt === true, pdfa: opts.pdfa === true };
        const source = { kind: 'cli' } as const;
        const issued = await issueLetter(register, { data: resolved.data, template, region, fonts, formats, render, source, signingKey });
        process.stdout.write(`文号：${issued.docNumber}（已记入登记簿：${register.location}）\n`);
        const signature = issued.files.find((f) => f.signature)?.signature;
        if (signature) process.stdout.write(`PDF 已签名：证书 SHA-256 ${signature.certificateSha256}，签名时间 ${signature.signedAt}\n`);
        for (const f of issued.files) {
          const out = paths[f.format];
          withFileErrors(out, () => fs.mkdirSync(path.dirname(out), { recursive: true }));
          writeFileAtomic(out, f.bytes);
          process.stdout.write(`已生成：${out}\n`);
        }
      } finally {
        await register.close();
      }
    });
}
