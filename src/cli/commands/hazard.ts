// `hazard-notice hazard <名称、别名或 CAS 号>`: one factor of the 2015 catalogue and its occupational diseases.

import type { Command } from 'commander';
import { loadKnowledgeBase } from '../../catalog/load';
import { hazardReport } from '../../catalog/lookup-report';
import type { DiseaseCatalogue, HazardDisease, KnowledgeBase } from '../../catalog/types';
import { HazardNoticeError } from '../../errors';
import { parseLetterDate, todayInChina } from '../../calendar/date';

interface LookupOptions {
  date?: string;
  json?: boolean;
}

/** The letter date of a lookup: --date, or today in China Standard Time. */
export function lookupDate(opts: LookupOptions): string {
  return opts.date ? parseLetterDate(opts.date) : todayInChina();
}

export function catalogueText(c: DiseaseCatalogue): string {
  return `《${c.title}》（${c.docNumber}）`;
}

/** Diseases of a factor in one catalogue as one line of text. */
export function diseasesText(diseases: HazardDisease[]): string {
  return diseases.length > 0 ? diseases.map((d) => d.disease.name).join('、') : '（该目录中无对应职业病）';
}

/** Prints a not-found result (JSON when asked) and throws the matching error for the exit code. */
export function notFound(json: boolean | undefined, error: HazardNoticeError, suggestions: { json: object[]; text: string[] }): never {
  if (json) {
    const body = { error: { code: error.code, message: error.message, ...error.details, suggestions: suggestions.json } };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  }
  const hint = suggestions.text.length > 0 ? `\n可能是：\n${suggestions.text.map((s) => `  ${s}`).join('\n')}` : '';
  throw new HazardNoticeError(error.code, `${error.message}${hint}`, error.details);
}

function showHazard(kb: KnowledgeBase, input: string, opts: LookupOptions): void {
  const date = lookupDate(opts);
  const report = hazardReport(kb, input, date);
  if (!report.ok) notFound(opts.json, report.error, report.suggestions);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report.json, null, 2)}\n`);
    return;
  }
  const { hazard, diseases, catalogue } = report;
  const lines = [
    `${hazard.name}（编号 ${hazard.id}）`,
    `  类别：${hazard.category}，《职业病危害因素分类目录》第 ${hazard.seq} 项`,
    ...(hazard.shortName !== hazard.name ? [`  简称：${hazard.shortName}`] : []),
    ...(hazard.aliases.length > 0 ? [`  别名：${hazard.aliases.join('、')}`] : []),
    ...(hazard.cas ? [`  CAS 号：${hazard.cas}`] : []),
    ...(hazard.note ? [`  备注：${hazard.note}`] : []),
    `可能导致的职业病（${date} 适用${catalogueText(catalogue)}）：`,
    `  ${diseasesText(diseases)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function register(program: Command): void {
  program
    .command('hazard')
    .description('查询职业病危害因素（《职业病危害因素分类目录》）及其可能导致的职业病')
    .argument('<名称、别名或CAS号>', '危害因素名称、简称、别名或 CAS 号，如 矽尘、苯、71-43-2')
    .option('--date <YYYY-MM-DD>', '按该日期施行的《职业病分类和目录》列出职业病（默认：今天，北京时间）')
    .option('--json', '以 JSON 输出（字段见 docs/lookup.md）')
    .action((input: string, opts: LookupOptions) => showHazard(loadKnowledgeBase(), input, opts));
}
