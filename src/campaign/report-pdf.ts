// The monthly progress report (`campaign status --out x.pdf`): a GB/T 9704 page in the letters' fonts with the
// status table (ruled), a bar chart of 申报率 per county and group with the goal line, and, given past snapshots,
// the city's rate per group over time. Drawn from the status model only; same status → same bytes.

import { formatChineseDate } from '../calendar/date';
import { loadTemplate } from '../letter/template';
import type { DocumentMeta } from '../letter/model';
import { defaultFontsDir, loadFontSet, type FontSet } from '../render/layout/fonts';
import { gridOf } from '../render/layout/grid';
import { PdfCanvas, type Rgb } from '../render/pdf/pdf-canvas';
import { assemblePdf, type PdfPage } from '../render/pdf/render-pdf';
import { CITY, countiesOf, formatRate, goalRate, goalText, NO_VALUE, reportTitle, rowOf } from './report-text';
import type { CampaignGroup, CampaignStatus, TrendPoint } from './status-model';

export interface StatusReportOptions {
  /** Past snapshots (e.g. month ends) for the trend chart; the report's own status is its last point. */
  trend?: TrendPoint[];
  /** Who issues the report, printed under the title (e.g. 柳州市卫生健康委员会). */
  bureau?: string;
  /** Default: the bundled template's fonts (the letters' typography). */
  fonts?: FontSet;
}

/** A bar of the county chart where it was drawn (pt from the page's top-left), for tests that measure it. */
export interface ReportBar {
  page: number;
  county: string;
  group: string;
  rate: number | null;
  x: number;
  width: number;
  /** y of the bar's top (= bottom for a rate of 0 or null). */
  top: number;
  bottom: number;
}

export interface StatusReportLayout {
  pages: PdfPage[];
  fonts: FontSet;
  bars: ReportBar[];
  /** Goal lines drawn across the county chart. */
  goals: { page: number; rate: number; y: number }[];
}

/** Group colours, told apart in grey print too (luminance 0.24, 0.43, 0.57, 0.75). */
const PALETTE: Rgb[] = [
  [0.1, 0.25, 0.5],
  [0.8, 0.35, 0.1],
  [0.4, 0.65, 0.3],
  [0.75, 0.75, 0.75],
  [0.45, 0.2, 0.55],
  [0.1, 0.55, 0.6],
];
const GOAL_COLOUR: Rgb = [0.75, 0, 0];
const GRID_COLOUR: Rgb = [0.88, 0.88, 0.88];
const MUTED: Rgb = [0.35, 0.35, 0.35];
const GOAL_DASH = [4, 2];

const TITLE_PT = 22; // 2号
const TITLE_PITCH = 32;
const SUBTITLE_PT = 14; // 4号
const TABLE_PT = 10.5; // 5号
const CHART_PT = 9; // 小5号
const PAGE_NUMBER_PT = 14; // 4号
/** Baseline of an ideographic em box: 0.88 em below its top. */
const ASCENT = 0.88;
const METRICS = ['应报', '已告知', '已申报', '申报率'];
const MIN_METRIC_WIDTH = 42;
const ROW_HEIGHT = 15;
const CAPTION_PITCH = 22;
const NOTE_PITCH = TABLE_PT * 1.4;
const Y_MAX = 1.1;
const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];

const colourOf = (index: number): Rgb => PALETTE[index % PALETTE.length];

/** Text baseline that centres an em box of `size` in a band from `top` of height `h`. */
const centred = (top: number, h: number, size: number) => top + (h - size) / 2 + ASCENT * size;

/** “11月” for a month end, else “11月15日”. */
function shortDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const monthEnd = new Date(Date.UTC(y, m, 0)).getUTCDate() === d;
  return monthEnd ? `${m}月` : `${m}月${d}日`;
}

/** Pages of the report: each a canvas on the letter's page, a cursor going down the type area. */
class ReportWriter {
  readonly canvases: PdfCanvas[] = [];
  readonly grid;
  y = 0;

  constructor(
    readonly fonts: FontSet,
    layout: ReturnType<typeof loadTemplate>['layout'],
  ) {
    this.grid = gridOf(layout);
    this.newPage();
  }

  get canvas(): PdfCanvas {
    return this.canvases[this.canvases.length - 1];
  }
  get left(): number {
    return this.grid.left;
  }
  get measure(): number {
    return this.grid.measure;
  }
  get bottom(): number {
    return this.grid.top + this.grid.linePitch * this.grid.linesPerPage;
  }

  newPage(): void {
    this.canvases.push(new PdfCanvas(this.fonts, this.grid.pageWidth, this.grid.pageHeight));
    this.y = this.grid.top;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.y + height > this.bottom + 0.01) this.newPage();
  }

  /** Wrapped text across the measure (or centred lines); advances the cursor. */
  paragraph(text: string, size: number, opts: { align?: 'left' | 'center'; role?: 'body' | 'title'; pitch?: number } = {}): void {
    const pitch = opts.pitch ?? size * 1.45;
    const lines = this.canvas.wrap(text, this.measure, size, opts.role);
    this.ensure(lines.length * pitch);
    for (const line of lines) {
      const x = opts.align === 'center' ? this.left + this.measure / 2 : this.left;
      this.canvas.text(line, x, centred(this.y, pitch, size), { size, role: opts.role, align: opts.align });
      this.y += pitch;
    }
  }

  /** GB/T 9704 7.5: 4号 digits with a dash each side, 7 mm below the type area; odd pages right, even left (一字 in). */
  pageNumbers(): void {
    this.canvases.forEach((canvas, i) => {
      const n = i + 1;
      const text = `— ${n} —`;
      const baseline = this.bottom + (7 * 72) / 25.4 + ASCENT * PAGE_NUMBER_PT;
      const em = PAGE_NUMBER_PT;
      if (n % 2 === 1) canvas.text(text, this.left + this.measure - em, baseline, { size: PAGE_NUMBER_PT, align: 'right' });
      else canvas.text(text, this.left + em, baseline, { size: PAGE_NUMBER_PT });
    });
  }
}

/** The title in at most a few lines, broken before its “（截至…）” when it does not fit one line. */
function titleLines(w: ReportWriter, title: string): string[] {
  if (w.canvas.textWidth(title, TITLE_PT, 'title') <= w.measure) return [title];
  const at = title.lastIndexOf('（');
  const parts = at > 0 ? [title.slice(0, at), title.slice(at)] : [];
  if (parts.length > 0 && parts.every((p) => w.canvas.textWidth(p, TITLE_PT, 'title') <= w.measure)) return parts;
  return w.canvas.wrap(title, w.measure, TITLE_PT, 'title');
}

function drawHeading(w: ReportWriter, status: CampaignStatus, bureau: string | undefined): void {
  for (const line of titleLines(w, reportTitle(status))) {
    w.canvas.text(line, w.left + w.measure / 2, centred(w.y, TITLE_PITCH, TITLE_PT), { size: TITLE_PT, role: 'title', align: 'center' });
    w.y += TITLE_PITCH;
  }
  const sub = [bureau, `数据截至${formatChineseDate(status.asOf)}`].filter(Boolean).join('　　');
  w.paragraph(sub, SUBTITLE_PT, { align: 'center' });
  w.y += 2;
}

function caption(w: ReportWriter, text: string, after: number): void {
  w.ensure(CAPTION_PITCH + after);
  const style = { size: SUBTITLE_PT, role: 'title', align: 'center' } as const;
  w.canvas.text(text, w.left + w.measure / 2, centred(w.y, CAPTION_PITCH, SUBTITLE_PT), style);
  w.y += CAPTION_PITCH;
}

/** The status table in blocks of as many groups as fit the measure side by side (two for the bundled plan). */
function drawTable(w: ReportWriter, status: CampaignStatus): void {
  const counties = countiesOf(status);
  const c = w.canvas;
  const countyWidth = Math.max(64, ...counties.map((name) => c.textWidth(name, TABLE_PT) + 10));
  const perBlock = Math.max(1, Math.floor((w.measure - countyWidth) / (METRICS.length * MIN_METRIC_WIDTH)));
  const metricWidth = (w.measure - countyWidth) / (perBlock * METRICS.length);
  const lineH = TABLE_PT * 1.25;
  for (let b = 0; b < status.groups.length; b += perBlock) {
    const groups = status.groups.slice(b, b + perBlock);
    const span = metricWidth * METRICS.length;
    const tableWidth = countyWidth + span * groups.length;
    const x0 = w.left + (w.measure - tableWidth) / 2;
    const nameLines = groups.map((g) => w.canvas.wrap(`${g.id}　${g.name}`, span - 8, TABLE_PT));
    const goalLines = groups.map((g) => w.canvas.wrap(goalText(g), span - 8, TABLE_PT));
    const h1 = Math.max(...nameLines.map((l) => l.length)) * lineH + 6;
    const h2 = Math.max(...goalLines.map((l) => l.length)) * lineH + 6;
    const h3 = ROW_HEIGHT;
    const headH = h1 + h2 + h3;
    const height = headH + counties.length * ROW_HEIGHT;
    w.ensure(height + 10);
    const canvas = w.canvas;
    const top = w.y;
    const thin = { width: 0.4 };
    canvas.text('区县', x0 + countyWidth / 2, centred(top, headH, TABLE_PT), { size: TABLE_PT, align: 'center' });
    groups.forEach((g, i) => {
      const gx = x0 + countyWidth + i * span;
      nameLines[i].forEach((line, k) => {
        const y = top + (h1 - nameLines[i].length * lineH) / 2 + k * lineH;
        canvas.text(line, gx + span / 2, centred(y, lineH, TABLE_PT), { size: TABLE_PT, align: 'center' });
      });
      goalLines[i].forEach((line, k) => {
        const y = top + h1 + (h2 - goalLines[i].length * lineH) / 2 + k * lineH;
        canvas.text(line, gx + span / 2, centred(y, lineH, TABLE_PT), { size: TABLE_PT, align: 'center' });
      });
      METRICS.forEach((m, k) => {
        canvas.text(m, gx + (k + 0.5) * metricWidth, centred(top + h1 + h2, h3, TABLE_PT), { size: TABLE_PT, align: 'center' });
      });
      canvas.line(gx, top + h1, gx + span, top + h1, thin);
      canvas.line(gx, top + h1 + h2, gx + span, top + h1 + h2, thin);
      for (let k = 1; k < METRICS.length; k++) {
        const x = gx + k * metricWidth;
        canvas.line(x, top + h1 + h2, x, top + height, thin);
      }
      if (i > 0) canvas.line(gx, top, gx, top + height, thin);
    });
    canvas.line(x0 + countyWidth, top, x0 + countyWidth, top + height, thin);
    counties.forEach((county, r) => {
      const rowTop = top + headH + r * ROW_HEIGHT;
      const role = county === CITY ? 'title' : 'body';
      canvas.line(x0, rowTop, x0 + tableWidth, rowTop, { width: r === 0 || county === CITY ? 0.75 : 0.4 });
      const baseline = centred(rowTop, ROW_HEIGHT, TABLE_PT);
      canvas.text(county, x0 + countyWidth / 2, baseline, { size: TABLE_PT, role, align: 'center' });
      groups.forEach((g, i) => {
        const row = rowOf(status, county, g.id);
        const cells = row
          ? [String(row.due), String(row.notified), String(row.declared), formatRate(row.rate)]
          : METRICS.map(() => NO_VALUE);
        cells.forEach((text, k) => {
          const x = x0 + countyWidth + i * span + (k + 0.5) * metricWidth;
          canvas.text(text, x, baseline, { size: TABLE_PT, role, align: 'center' });
        });
      });
    });
    canvas.rect(x0, top, tableWidth, height, { stroke: { width: 0.75 } });
    w.y = top + height + 8;
  }
}

/** Swatches and names of the groups and the goal line, flowing across the measure. */
function drawLegend(w: ReportWriter, groups: CampaignGroup[], goalRates: number[]): void {
  const c = w.canvas;
  const entries: { label: string; draw: (x: number, mid: number) => void }[] = groups.map((g, i) => ({
    label: `${g.id}　${g.name}`,
    draw: (x, mid) => c.rect(x, mid - 4, 10, 8, { fill: colourOf(i) }),
  }));
  for (const rate of goalRates) {
    entries.push({
      label: `目标（${goalRate(rate)}）`,
      draw: (x, mid) => c.line(x - 2, mid, x + 12, mid, { color: GOAL_COLOUR, width: 1, dash: GOAL_DASH }),
    });
  }
  const pitch = CHART_PT * 1.6;
  let x = w.left;
  let rows = 1;
  const placed: { x: number; row: number; entry: (typeof entries)[number] }[] = [];
  for (const entry of entries) {
    const width = 14 + c.textWidth(entry.label, CHART_PT) + 14;
    if (x + width > w.left + w.measure && x > w.left) {
      x = w.left;
      rows++;
    }
    placed.push({ x, row: rows - 1, entry });
    x += width;
  }
  for (const p of placed) {
    const top = w.y + p.row * pitch;
    p.entry.draw(p.x, top + pitch / 2);
    c.text(p.entry.label, p.x + 14, centred(top, pitch, CHART_PT), { size: CHART_PT });
  }
  w.y += rows * pitch;
}

interface Plot {
  left: number;
  right: number;
  top: number;
  baseline: number;
  /** y of a rate. */
  at: (rate: number) => number;
}

/** Axes, grid lines and % tick labels of a chart whose plot area is `height` tall at the cursor. */
function drawAxes(w: ReportWriter, height: number): Plot {
  const c = w.canvas;
  const left = w.left + c.textWidth('100%', CHART_PT) + 6;
  const right = w.left + w.measure;
  const top = w.y + CHART_PT;
  const baseline = top + height;
  const at = (rate: number) => baseline - (rate / Y_MAX) * height;
  for (const t of TICKS) {
    const y = at(t);
    if (t > 0) c.line(left, y, right, y, { width: 0.3, color: GRID_COLOUR });
    c.text(`${Math.round(t * 100)}%`, left - 4, y + CHART_PT * 0.35, { size: CHART_PT, align: 'right' });
  }
  c.line(left, top - 4, left, baseline, { width: 0.75 });
  return { left, right, top, baseline, at };
}

/** Goal rates of the groups (one line each), ascending. */
const goalRatesOf = (groups: CampaignGroup[]) => [...new Set(groups.filter((g) => g.goal).map((g) => g.goal!.rate))].sort();

/** The bars per county and group; `legend`: false when the trend chart below carries the (same) legend. */
function drawCountyChart(w: ReportWriter, status: CampaignStatus, layout: StatusReportLayout, legend: boolean): void {
  const counties = countiesOf(status);
  const plotHeight = 170;
  caption(w, counties.includes(CITY) ? '图1　各县（区）申报率' : '图1　各目标组申报率', plotHeight + 80);
  const c = w.canvas;
  const page = w.canvases.length - 1;
  const plot = drawAxes(w, plotHeight);
  const cw = (plot.right - plot.left) / counties.length;
  const bw = (cw * 0.8) / status.groups.length;
  counties.forEach((county, k) => {
    const cx = plot.left + k * cw;
    if (county === CITY && k > 0) c.line(cx, plot.top, cx, plot.baseline, { width: 0.4, color: MUTED, dash: [1, 2] });
    status.groups.forEach((g, i) => {
      const rate = rowOf(status, county, g.id)?.rate ?? null;
      const x = cx + cw * 0.1 + i * bw;
      const top = rate === null ? plot.baseline : plot.at(rate);
      // No employer due (null) and none declared (0) both draw no bar: each gets a mark so they are told apart.
      if (rate === null || rate === 0) {
        c.text(rate === null ? NO_VALUE : '0', x + bw / 2, plot.baseline - 3, { size: CHART_PT, align: 'center', color: MUTED });
      } else {
        c.rect(x + 0.4, top, bw - 0.8, plot.baseline - top, { fill: colourOf(i) });
      }
      layout.bars.push({ page, county, group: g.id, rate, x: x + 0.4, width: bw - 0.8, top, bottom: plot.baseline });
    });
    const lines = c.wrap(county, cw - 0.5, CHART_PT);
    lines.forEach((line, n) =>
      c.text(line, cx + cw / 2, plot.baseline + 4 + ASCENT * CHART_PT + n * CHART_PT * 1.25, { size: CHART_PT, align: 'center' }),
    );
  });
  const goals = goalRatesOf(status.groups);
  for (const rate of goals) {
    const y = plot.at(rate);
    c.line(plot.left, y, plot.right, y, { color: GOAL_COLOUR, width: 1, dash: GOAL_DASH });
    layout.goals.push({ page, rate, y });
  }
  c.line(plot.left, plot.baseline, plot.right, plot.baseline, { width: 0.75 });
  const labelLines = Math.max(...counties.map((county) => c.wrap(county, cw - 0.5, CHART_PT).length));
  w.y = plot.baseline + 6 + labelLines * CHART_PT * 1.25 + 4;
  if (legend) drawLegend(w, status.groups, goals);
  w.y += 10;
}

/** The trend's points: the snapshots and the status itself, one per date, oldest first. */
function trendPoints(status: CampaignStatus, trend: TrendPoint[]): TrendPoint[] {
  const byDate = new Map<string, TrendPoint>();
  for (const s of [...trend, status]) byDate.set(s.asOf, s);
  return [...byDate.values()].sort((a, b) => (a.asOf < b.asOf ? -1 : 1));
}

/** The city's rate per group (the one county's, for a county's report) at each point, as lines; the legend of both charts. */
function drawTrendChart(w: ReportWriter, status: CampaignStatus, points: TrendPoint[]): void {
  const counties = countiesOf(status);
  const whole = counties.includes(CITY) ? CITY : counties[0];
  const plotHeight = 100;
  caption(w, `图2　${whole === CITY ? status.region : whole}申报率变化`, plotHeight + 60);
  const c = w.canvas;
  const plot = drawAxes(w, plotHeight);
  const step = (plot.right - plot.left) / points.length;
  const xOf = (i: number) => plot.left + (i + 0.5) * step;
  for (const rate of goalRatesOf(status.groups)) {
    c.line(plot.left, plot.at(rate), plot.right, plot.at(rate), { color: GOAL_COLOUR, width: 1, dash: GOAL_DASH });
  }
  status.groups.forEach((g, gi) => {
    let run: [number, number][] = [];
    const flush = () => {
      c.polyline(run, { color: colourOf(gi), width: 1.5 });
      run = [];
    };
    points.forEach((s, i) => {
      const rate = rowOf(s, whole, g.id)?.rate ?? null;
      if (rate === null) return flush();
      const p: [number, number] = [xOf(i), plot.at(rate)];
      run.push(p);
      c.rect(p[0] - 2, p[1] - 2, 4, 4, { fill: colourOf(gi) });
    });
    flush();
  });
  c.line(plot.left, plot.baseline, plot.right, plot.baseline, { width: 0.75 });
  const every = Math.max(1, Math.ceil((c.textWidth('12月31日', CHART_PT) + 6) / step));
  let lastYear = '';
  points.forEach((s, i) => {
    const year = s.asOf.slice(0, 4);
    if (i % every === 0 || i === points.length - 1) {
      const y = plot.baseline + 4 + ASCENT * CHART_PT;
      c.text(shortDate(s.asOf), xOf(i), y, { size: CHART_PT, align: 'center' });
      if (year !== lastYear) c.text(`${year}年`, xOf(i), y + CHART_PT * 1.25, { size: CHART_PT, align: 'center', color: MUTED });
      lastYear = year;
    }
  });
  w.y = plot.baseline + 6 + 2 * CHART_PT * 1.25 + 4;
  drawLegend(w, status.groups, goalRatesOf(status.groups));
  w.y += 10;
}

/** Under the table: what the figures mean, and the employers left out of a group for missing data. */
function drawTableNotes(w: ReportWriter, status: CampaignStatus): void {
  const notes = [`注：申报率 = 已申报 ÷ 应报，应报为 0 时记“${NO_VALUE}”；已告知、已申报均按告知单日期、申报日期在统计日期及以前计。`];
  if (status.unclassified.length > 0) {
    notes.push(`另有 ${status.unclassified.length} 家用人单位缺少行业或劳动者人数，未计入相应目标组，名单见进度工作簿。`);
  }
  for (const note of notes) w.paragraph(note, TABLE_PT, { pitch: NOTE_PITCH });
}

/** After the charts: each group's goal and the plan's wording it rests on. */
function drawGroupNotes(w: ReportWriter, status: CampaignStatus): void {
  w.paragraph('目标组及依据：', TABLE_PT, { pitch: NOTE_PITCH, role: 'title' });
  for (const g of status.groups) {
    w.paragraph(`${g.id}　${g.name}：${g.goal ? goalText(g) : '不设目标'}。依据：${g.basis}。`, TABLE_PT, { pitch: NOTE_PITCH });
  }
}

function loadDefaultFonts(): { fonts: FontSet; layout: ReturnType<typeof loadTemplate>['layout'] } {
  const { layout } = loadTemplate();
  return { fonts: loadFontSet(defaultFontsDir(), layout), layout };
}

/** The report's pages and where its bars and goal lines were drawn. */
export function layOutStatusReport(status: CampaignStatus, options: StatusReportOptions = {}): StatusReportLayout {
  const defaults = loadDefaultFonts();
  const fonts = options.fonts ?? defaults.fonts;
  const w = new ReportWriter(fonts, defaults.layout);
  const layout: StatusReportLayout = { pages: [], fonts, bars: [], goals: [] };
  drawHeading(w, status, options.bureau);
  caption(w, countiesOf(status).includes(CITY) ? '表1　各县（区）申报进度' : '表1　申报进度', 120);
  drawTable(w, status);
  drawTableNotes(w, status);
  if (w.y > w.grid.top) w.newPage();
  const points = trendPoints(status, options.trend ?? []);
  drawCountyChart(w, status, layout, points.length < 2);
  if (points.length >= 2) drawTrendChart(w, status, points);
  drawGroupNotes(w, status);
  w.pageNumbers();
  const meta: DocumentMeta = {
    title: reportTitle(status),
    author: options.bureau ?? status.region,
    subject: '职业病危害项目申报扩面行动进度',
    keywords: ['职业病危害项目申报', status.region, status.asOf],
    language: 'zh-CN',
    date: status.asOf,
  };
  layout.pages = w.canvases.map((canvas) => canvas.page(meta));
  return layout;
}

/** The progress report as PDF bytes (fonts embedded and cut to the characters used). */
export function renderStatusReport(status: CampaignStatus, options: StatusReportOptions = {}): Uint8Array {
  const layout = layOutStatusReport(status, options);
  return assemblePdf(layout.pages, layout.fonts);
}
