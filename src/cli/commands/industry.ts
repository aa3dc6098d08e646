// `hazard-notice industry <代码或名称>`: an industry's GB/T path, 2021 risk rating, hazards and diseases.

import type { Command } from 'commander';
import { LEVEL_NAMES, industryCode } from '../../catalog/industries';
import { loadKnowledgeBase } from '../../catalog/load';
import { type IndustryOverrides, loadIndustryOverrides } from '../../catalog/overrides';
import { industryReport } from '../../catalog/lookup-report';
import type { IndustryCoverage, IndustryRisk, KnowledgeBase } from '../../catalog/types';
import { loadRegionConfig } from '../../config/region';
import { catalogueText, diseasesText, lookupDate, notFound } from './hazard';

interface IndustryOptions {
  date?: string;
  json?: boolean;
  config?: string;
}

const RISK_SOURCE = '《建设项目职业病危害风险分类管理目录》（国卫办职健发〔2021〕5号）';

function levelOf(kb: KnowledgeBase, code: string): string {
  const industry = kb.industry(code);
  return industry ? LEVEL_NAMES[industry.level] : '';
}

function riskLines(risk: IndustryRisk): string[] {
  const from = risk.fromCode ? `，按 ${risk.fromCode} 定级` : '';
  const rating = risk.rating === '未分级' ? '未分级（目录未列出该行业，须经评价确定）' : risk.rating;
  return [
    `职业病危害风险：${rating}（${RISK_SOURCE}${from}）`,
    ...(risk.subcases.length > 0 ? [`  细分情形：${risk.subcases.map((s) => `${s.name} ${s.rating}`).join('；')}`] : []),
    ...(risk.note ? [`  ${risk.note}`] : []),
  ];
}

function coverageLine(coverage: IndustryCoverage): string {
  switch (coverage.kind) {
    case 'specific':
      return `危害因素清单：专门清单（${coverage.fromCode}）`;
    case 'none':
      return `危害因素清单：无典型职业病危害（${coverage.fromCode}：${coverage.reason}）`;
    case 'generic':
      return `危害因素清单：仅有 ${coverage.fromCode} 的通用清单`;
    default:
      return '危害因素清单：未收录';
  }
}

function showIndustry(kb: KnowledgeBase, input: string, opts: IndustryOptions, overrides?: IndustryOverrides): void {
  const date = lookupDate(opts);
  const report = industryReport(kb, input, date, overrides);
  if (!report.ok) notFound(opts.json, report.error, report.suggestions);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(report.json, null, 2)}\n`);
    return;
  }
  const { industry, path, risk, coverage, hazards, catalogue, applied } = report;
  const code = industryCode(industry);
  const width = Math.max(...path.map((i) => industryCode(i).length));
  const lines = [
    `${code} ${industry.name}`,
    ...path.map((i) => `  ${LEVEL_NAMES[i.level]} ${industryCode(i).padEnd(width)} ${i.name}`),
    ...riskLines(risk),
  ];
  lines.push(coverageLine(coverage));
  for (const o of applied) lines.push(`本地调整：${o.code}（依据：${o.reason}；${overrides?.file}）`);
  if (coverage.kind === 'none') {
    lines.push('可能存在的职业病危害因素：无典型职业病危害；生成告知单时须在危害因素一栏（或 --hazards）写明本单位的危害因素');
  } else if (hazards.length === 0) {
    lines.push('可能存在的职业病危害因素：知识库未收录该行业及其上级行业的危害因素');
  } else {
    lines.push(
      `可能存在的职业病危害因素（${hazards.length} 项，按重要性排列；可能导致的职业病按 ${date} 适用的${catalogueText(catalogue)}）：`,
    );
    hazards.forEach((h, n) => {
      const from = h.local ? '本地调整' : `来自${levelOf(kb, h.fromCode)}`;
      const inherited = h.fromCode === code && !h.local ? '' : `，${from} ${h.fromCode}`;
      const alias = h.alias ? `（${h.alias}）` : '';
      lines.push(`  ${n + 1}. ${h.hazard.name}${alias}〔${h.hazard.category}${inherited}〕`);
      lines.push(`     职业病：${diseasesText(h.diseases)}`);
    });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function register(program: Command): void {
  program
    .command('industry')
    .description('查询行业（GB/T 4754-2017）：分类路径、风险分类、可能的危害因素与职业病')
    .argument('<代码或名称>', '行业代码或名称，如 C3011、3011、C30、水泥制造、“C3011 水泥制造”')
    .option('--date <YYYY-MM-DD>', '按该日期施行的《职业病分类和目录》列出职业病（默认：今天，北京时间）')
    .option('--json', '以 JSON 输出（字段见 docs/lookup.md）')
    .option('--config <文件>', '区域配置文件：按其中 industryOverrides 指定的本地调整列出危害因素')
    .action((input: string, opts: IndustryOptions) => {
      const kb = loadKnowledgeBase();
      const file = opts.config ? loadRegionConfig(opts.config).industryOverrides : undefined;
      showIndustry(kb, input, opts, file ? loadIndustryOverrides(file, kb) : undefined);
    });
}
