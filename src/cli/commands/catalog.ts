// `hazard-notice catalog check`: validates the knowledge base (data/) and prints a Chinese summary.

import type { Command } from 'commander';
import { type CheckReport, checkKnowledgeBase } from '../../catalog/check';
import { LEVEL_NAMES } from '../../catalog/industries';
import type { PrebuiltState } from '../../catalog/prebuilt';
import type { IndustryLevel } from '../../catalog/types';
import { HazardNoticeError } from '../../errors';
import { placeText } from '../../yaml-file/yaml-file';
import { type ReviewOptions, writeReview } from './catalog-review';

const LEVELS: IndustryLevel[] = ['section', 'division', 'group', 'class'];

function prebuiltText(state: PrebuiltState): string {
  if (state.kind === 'fresh') return '预编译知识库：与数据文件一致（启动时直接使用）';
  if (state.kind === 'absent') return '预编译知识库：不存在或不是当前程序生成的，每次启动读取数据文件（npm run build 生成）';
  if (state.files.includes('catalog.yaml')) return '预编译知识库：不是由该数据目录生成的（catalog.yaml 不同），启动时读取全部数据文件';
  return `预编译知识库：${state.files.join('、')} 已改动，启动时读取这些数据文件（npm run build 重新生成）`;
}

function summaryText(report: CheckReport): string {
  const lines = [`知识库目录：${report.dataDir}`];
  const s = report.summary;
  if (s) {
    const perLevel = (counts: Record<IndustryLevel, number>) => LEVELS.map((l) => `${LEVEL_NAMES[l]} ${counts[l]}`).join('，');
    const industries = LEVELS.reduce((n, l) => n + s.industries[l], 0);
    const hazards = Object.values(s.hazards).reduce((n, c) => n + c, 0);
    lines.push(
      `国民经济行业分类：${industries} 条（${perLevel(s.industries)}）`,
      `职业病危害因素：${hazards} 项（${Object.entries(s.hazards)
        .map(([c, n]) => `${c} ${n}`)
        .join('，')}）`,
      ...s.diseaseCatalogues.map(
        (c) => `职业病分类和目录 ${c.id} 年版（${c.docNumber}）：${c.diseases} 种，适用 ${c.validFrom} 至 ${c.validUntil ?? '今'}`,
      ),
      `风险分类管理目录（2021）：${s.riskRows} 行（严重 ${s.riskRatings.严重}，一般 ${s.riskRatings.一般}）`,
      `行业危害因素映射：${perLevel(s.coverage.mappedCodes)}；引用危害因素 ${s.coverage.hazardsReached} 项`,
      `严重行业覆盖：${s.coverage.severeCovered} / ${s.coverage.severeIndustries}（含细分情形）`,
      `小类：有专门清单 ${s.coverage.classes.specific}，标为无典型职业病危害 ${s.coverage.classes.none}，` +
        `仅有通用清单 ${s.coverage.classes.generic}，未处理 ${s.coverage.classes.unmapped}`,
      `危害因素—职业病映射：${s.coverage.hazardsWithDiseases} / ${hazards} 项；有简称或别名的因素 ${s.coverage.hazardsWithNames} 项`,
    );
  }
  if (report.prebuilt) lines.push(prebuiltText(report.prebuilt));
  if (report.problems.length === 0) {
    lines.push('检查通过：未发现问题。');
  } else {
    lines.push(`发现 ${report.problems.length} 个问题：`);
    for (const p of report.problems)
      lines.push(`  ${p.file}${p.line === undefined ? '' : ` ${placeText(p.line, p.column)}`}：${p.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  const catalog = program.command('catalog').description('知识库（data/ 目录）维护命令').helpCommand(false);
  catalog
    .command('check')
    .description('检查知识库：条目数与目录原文一致、代码链完整、映射引用有效、严重行业均有危害因素')
    .option('--json', '以 JSON 输出检查报告（字段见 docs/lookup.md）')
    .action((opts: { json?: boolean }) => {
      const report = checkKnowledgeBase();
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : summaryText(report));
      if (!report.ok) {
        throw new HazardNoticeError('E_CHECK_FAILED', `知识库检查未通过：${report.problems.length} 个问题`, {
          problems: report.problems.length,
        });
      }
    });
  catalog
    .command('review')
    .description('写出行业—危害因素—职业病审阅表（Excel，每个小类一行，含处理方式、依据和本地调整），供专业人员审阅')
    .requiredOption('--out <文件>', '输出的 .xlsx 文件，如 审阅表.xlsx')
    .option('--date <YYYY-MM-DD>', '按该日期适用的《职业病分类和目录》标注（默认：今天，北京时间）；两版目录各占一列')
    .option('--config <文件>', '区域配置文件：按其中 industryOverrides 指定的本地调整列出')
    .action(async (opts: ReviewOptions) => {
      process.stdout.write(`已生成：${await writeReview(opts)}\n`);
    });
}
