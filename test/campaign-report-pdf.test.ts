// The progress report PDF: text extractable (title, every county and its figures), fonts embedded, two pages,
// reproducible, and the chart measured in pixels: each bar's height against the goal line at 100%.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { layOutStatusReport, renderStatusReport } from '../src/campaign/report-pdf';
import { COUNTIES, sampleStatus, snapshot } from './fixtures/campaign-status-sample';
import { decodeGray, emptyFontconfigEnv, pdfFonts, pdfInfo, pdfText, renderPng } from './poppler';
import { hasTool } from './tools';

const describePoppler = hasTool('pdftotext', ['-v'], 'poppler-utils') ? describe : describe.skip;

const trend = ['2025-06-30', '2025-07-31', '2025-08-31', '2025-09-30', '2025-10-31'].map((d, i) => snapshot(d, 0.5 + i * 0.1));
const options = { trend, bureau: '柳州市卫生健康委员会' };

describePoppler('progress report PDF', () => {
  const pdf = renderStatusReport(sampleStatus(), options);
  const plain = renderStatusReport(sampleStatus());
  const squash = (s: string) => s.replace(/[ \t]+/g, ' ');

  test('two pages, title in the metadata, same bytes for the same status', () => {
    expect(pdfInfo(pdf)).toMatchObject({ Pages: '2', Title: '柳州市职业病危害项目申报扩面行动进度（截至2025年11月30日）' });
    expect(pdfInfo(plain).Pages).toBe('2');
    expect(Buffer.from(renderStatusReport(sampleStatus(), options)).equals(Buffer.from(pdf))).toBe(true);
    expect(Buffer.from(renderStatusReport(sampleStatus({ asOf: '2025-12-31' }), options)).equals(Buffer.from(pdf))).toBe(false);
  });

  test('every font embedded as a subset with a Unicode map', () => {
    const fonts = pdfFonts(pdf);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['FandolFang-Regular', 'FandolSong-Bold']);
    for (const f of fonts) expect(f).toMatchObject({ embedded: true, subset: true, unicode: true });
  });

  test('text: title, issuer, each county with its figures in both table blocks, 全市, notes, page numbers', () => {
    const [page1, page2] = pdfText(pdf).split('\f').map(squash);
    expect(page1).toContain('柳州市职业病危害项目申报扩面行动进度');
    expect(page1).toContain('（截至2025年11月30日）');
    expect(page1).toContain('柳州市卫生健康委员会 数据截至2025年11月30日');
    const lines = page1.split('\n').map((l) => l.trim());
    // Block 1 (A, B) then block 2 (C, ALL): the county's row in each, with the fixture's hand-set figures.
    const rowsOf = (county: string) => lines.filter((l) => l.startsWith(`${county} `));
    expect(rowsOf('柳城县')).toEqual(['柳城县 8 6 4 50.0% 4 2 1 25.0%', '柳城县 10 6 3 30.0% 95 40 25 26.3%']);
    expect(rowsOf('城中区')).toEqual(['城中区 0 0 0 — 3 3 3 100.0%', '城中区 4 4 2 50.0% 37 30 21 56.8%']);
    expect(rowsOf('全市')).toEqual(['全市 59 54 44 74.6% 45 38 31 68.9%', '全市 108 89 68 63.0% 915 661 488 53.3%']);
    for (const [, county] of COUNTIES) expect(rowsOf(county)).toHaveLength(2);
    expect(page1).toContain('A 严重行业（矿山、冶金、化工、');
    expect(page1).toContain('目标 100%，2025年12月31日前');
    expect(page1).toContain('另有 2 家用人单位缺少行业或劳动者人数');
    expect(page1).toMatch(/—\s*1\s*—\s*$/);
    expect(page2).toContain('图1 各县（区）申报率');
    expect(page2).toContain('图2 柳州市申报率变化');
    expect(page2).toContain('目标（100%）');
    expect(page2).toContain('融水苗族'); // the axis label, wrapped
    expect(page2).toMatch(/—\s*2\s*—\s*$/);
    expect(pdfText(plain)).not.toContain('图2');
  });

  test('pixels: every bar rises to its rate of the distance from the axis to the goal line at 100%', () => {
    const dpi = 100;
    const s = dpi / 72;
    const layout = layOutStatusReport(sampleStatus(), options);
    const img = decodeGray(renderPng(pdf, dpi, 2).png);
    const px = (x: number, y: number) => img.data[Math.round(y) * img.width + Math.round(x)];
    const bars = layout.bars.filter((b) => b.page === 1);
    expect(bars).toHaveLength(11 * 4);
    const left = Math.min(...bars.map((b) => b.x)) * s;
    const right = Math.max(...bars.map((b) => b.x + b.width)) * s;
    const darkIn = (y: number) => {
      let n = 0;
      for (let x = left; x < right; x++) if (px(x, y) < 128) n++;
      return n;
    };
    // The axis is the darkest row of the chart; the goal line the darkest above it (found in the image, not the layout).
    const chartRows = (from: number, to: number) => Array.from({ length: Math.round(to - from) }, (_, i) => Math.round(from) + i);
    const plotTop = Math.min(...bars.map((b) => b.top)) * s - 30;
    const axis = chartRows(plotTop, bars[0].bottom * s + 5).reduce((a, b) => (darkIn(b) > darkIn(a) ? b : a));
    const goal = chartRows(plotTop, axis - 5).reduce((a, b) => (darkIn(b) > darkIn(a) ? b : a));
    expect(Math.abs(axis - bars[0].bottom * s)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(goal - layout.goals[0].y * s)).toBeLessThanOrEqual(1.5);

    /** Height in pixels of the ink run from just above the axis upward, in the bar's middle column. */
    const inkHeight = (bar: (typeof bars)[number]): number => {
      const x = (bar.x + bar.width / 2) * s;
      let y = axis - 2;
      while (y > plotTop && px(x, y) < 215) y--;
      return axis - 1 - y;
    };
    const checked: string[] = [];
    for (const bar of bars) {
      if (!bar.rate) {
        // null (“—”) or 0: no bar above the mark drawn just over the axis.
        const x = (bar.x + bar.width / 2) * s;
        let ink = 0;
        for (let y = Math.round(goal + 3); y < axis - 14 * s; y++) if (px(x, y) < 128) ink++;
        expect([bar.county, bar.group, ink]).toEqual([bar.county, bar.group, 0]);
        continue;
      }
      const measured = inkHeight(bar) / (axis - goal);
      expect([bar.county, bar.group, Math.abs(measured - bar.rate) < 0.02]).toEqual([bar.county, bar.group, true]);
      checked.push(`${bar.county}${bar.group}`);
    }
    expect(checked.length).toBeGreaterThan(35);
    expect(checked).toContain('全市ALL');
    // 柳江区 A is 100%: its top is on the goal line.
    const full = bars.find((b) => b.county === '柳江区' && b.group === 'A')!;
    expect(Math.abs(axis - inkHeight(full) - goal)).toBeLessThanOrEqual(2);
  });

  test('the “100%” axis label sits on the goal line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-report-'));
    try {
      const file = path.join(dir, 'r.pdf');
      fs.writeFileSync(file, pdf);
      const html = execFileSync('pdftotext', ['-bbox', '-f', '2', '-l', '2', file, '-'], { env: emptyFontconfigEnv(), encoding: 'utf8' });
      const label = /yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">100%</g;
      const words = [...html.matchAll(label)].map((m) => (Number(m[1]) + Number(m[2])) / 2);
      const goalY = layOutStatusReport(sampleStatus(), options).goals[0].y;
      expect(words.length).toBeGreaterThanOrEqual(2); // both charts
      expect(Math.abs(words[0] - goalY)).toBeLessThan(2.5);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
