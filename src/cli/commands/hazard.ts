// `hazard-notice hazard <名称、别名或 CAS 号>`: one factor of the 2015 catalogue and its occupational diseases.

import type { Command } from 'commander';
import { loadKnowledgeBase } from '../../catalog/load';
import type { DiseaseCatalogue, Hazard, HazardDisease, KnowledgeBase } from '../../catalog/types';
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

export function catalogueJson(c: DiseaseCatalogue) {
  return { id: c.id, docNumber: c.docNumber, title: c.title, validFrom: c.validFrom, validUntil: c.validUntil ?? null };
}

export function catalogueText(c: DiseaseCatalogue): string {
  return `《${c.title}》（${c.docNumber}）`;
}

export function diseaseJson({ disease, basis }: HazardDisease) {
  return { name: disease.name, category: disease.category, subcategory: disease.subcategory ?? null, seq: disease.seq, basis };
}

export function hazardJson(h: Hazard) {
  return { id: h.id, name: h.name, shortName: h.shortName, aliases: h.aliases, category: h.category, seq: h.seq, cas: h.cas ?? null, note: h.note ?? null };
}

/** Diseases of a factor in one catalogue as one line of text. */
export function diseasesText(diseases: HazardDisease[]): string {
  return diseases.length > 0 ? diseases.map((d) => d.disease.name).join('、') : '（该目录中无对应职业病）';
}

/** Prints a not-found result (JSON when asked) and throws the matching error for the exit code. */
export function notFound(
  json: boolean | undefined,
  error: HazardNoticeError,
  suggestions: { json: object[]; text: string[] },
): never {
  if (json) {
    const body = { error: { code: error.code, message: error.message, ...error.details, suggestions: suggestions.json } };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  }
  const hint = suggestions.text.length > 0 ? `\n可能是：\n${suggestions.text.map((s) => `  ${s}`).join('\n')}` : '';
  throw new HazardNoticeError(error.code, `${error.message}${hint}`, error.details);
}

function showHazard(kb: KnowledgeBase, input: string, opts: LookupOptions): void {
  const date = lookupDate(opts);
  const catalogue = kb.diseaseCatalogueOn(date);
  const result = kb.findHazard(input);
  if (!result.ok) {
    const what = result.reason === 'ambiguous' ? '对应多个危害因素' : '未找到';
    notFound(
      opts.json,
      new HazardNoticeError(result.reason === 'ambiguous' ? 'E_HAZARD_AMBIGUOUS' : 'E_HAZARD_UNKNOWN', `危害因素“${input}”${what}`, {
        reason: result.reason,
        input,
      }),
      {
        json: result.suggestions.map((h) => ({ id: h.id, name: h.name, category: h.category })),
        text: result.suggestions.map((h) => `${h.name}〔${h.category}〕`),
      },
    );
  }
  const { hazard } = result;
  const without = result.alias ? (hazard.aliasesWithout?.[result.alias] ?? []) : [];
  const diseases = kb.hazardDiseases(hazard.id, catalogue.id).filter((hd) => !without.includes(hd.disease.name));
  if (opts.json) {
    const body = { input, date, hazard: hazardJson(hazard), diseaseCatalogue: catalogueJson(catalogue), diseases: diseases.map(diseaseJson) };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
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
