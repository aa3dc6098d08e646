// The status as a terminal table: Chinese headers, columns aligned by display width (a CJK character takes two
// columns; string-width knows which characters do).

import stringWidth from 'string-width';
import type { CampaignStatus } from './status-model';

/** Unclassified employers listed on the terminal; the rest are counted (all are in --json). */
const UNCLASSIFIED_SHOWN = 20;

export function rateText(rate: number | null): string {
  return rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => stringWidth(r[i]))));
  return rows
    .map((r) =>
      r
        .map((cell, i) => {
          const pad = ' '.repeat(widths[i] - stringWidth(cell));
          return rightAligned.has(i) ? pad + cell : cell + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function statusText(status: CampaignStatus): string {
  const goals = new Map(status.groups.map((g) => [g.id, g.goal ? `${rateText(g.goal.rate)}（${g.goal.by} 前）` : '']));
  const rows = [['区县', '组', '应报', '已告知', '已申报', '申报率', '目标']];
  for (const r of status.rows) {
    rows.push([r.county, r.group, String(r.due), String(r.notified), String(r.declared), rateText(r.rate), goals.get(r.group) ?? '']);
  }
  const lines = [`${status.region}职业病危害项目申报进度（截至 ${status.asOf}）`, '', table(rows, new Set([2, 3, 4, 5])), ''];
  for (const g of status.groups) lines.push(`${g.id}：${g.name}`);
  const n = status.unclassified.length;
  if (n > 0) {
    lines.push('', `无法归类 ${n} 家（未计入相应组的应报，须补充资料或按实际情形判定）：`);
    for (const u of status.unclassified.slice(0, UNCLASSIFIED_SHOWN)) {
      lines.push(`  ${u.county}  ${u.name}${u.uscc ? `（${u.uscc}）` : ''}  组 ${u.groups.join('、')}：${u.reason}`);
    }
    if (n > UNCLASSIFIED_SHOWN) lines.push(`  ……另有 ${n - UNCLASSIFIED_SHOWN} 家，完整名单见 --json 的 unclassified`);
  }
  return `${lines.join('\n')}\n`;
}
