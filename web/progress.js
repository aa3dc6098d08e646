// 进度: the campaign's progress as of a date (GET /api/campaign/status), per county and group: the table, a bar chart of
// 申报率 with the goal lines (SVG built with DOM calls; every text by textContent), the 无法归类 list, the downloads.

import { $, api, el, loadCounties, session, todayInChina } from '/assets/common.js';

const SVG = 'http://www.w3.org/2000/svg';
const CITY = '全市';
const NO_VALUE = '—';

/** A rate as the reports print it: one decimal (87.5%), or “—” when nothing is due. */
function formatRate(rate) {
  return rate === null ? NO_VALUE : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** “2024年12月31日” (GB/T 9704, no padding). */
function chineseDate(date) {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function goalText(group) {
  return group.goal ? `目标 ${Math.round(group.goal.rate * 1000) / 10}%，${chineseDate(group.goal.by)}前` : '';
}

/** An SVG element with attributes (and text by textContent). */
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function countiesOf(status) {
  const seen = [...new Set(status.rows.map((r) => r.county))];
  return [...seen.filter((c) => c !== CITY), ...seen.filter((c) => c === CITY)];
}

function rowOf(status, county, group) {
  return status.rows.find((r) => r.county === county && r.group === group);
}

function drawTable(status) {
  const top = el('tr');
  top.append(el('th', '区县', { rowspan: '2', scope: 'col' }));
  const metrics = el('tr');
  status.groups.forEach((g, i) => {
    const th = el('th', undefined, { colspan: '4', scope: 'colgroup', class: `group-head g${i % 6}` });
    th.append(el('span', `${g.id} 组`, { class: 'group-id' }), el('span', g.name, { class: 'group-name' }));
    if (g.goal) th.append(el('span', goalText(g), { class: 'group-goal' }));
    top.append(th);
    for (const m of ['应报', '已告知', '已申报', '申报率']) metrics.append(el('th', m, { scope: 'col', class: 'metric' }));
  });
  $('status-head').replaceChildren(top, metrics);
  $('status-rows').replaceChildren(
    ...countiesOf(status).map((county) => {
      const tr = el('tr', undefined, county === CITY ? { class: 'city' } : {});
      tr.append(el('th', county, { scope: 'row' }));
      for (const g of status.groups) {
        const r = rowOf(status, county, g.id);
        const below = r && r.rate !== null && g.goal && r.rate < g.goal.rate;
        tr.append(
          el('td', r ? r.due : NO_VALUE, { class: 'n first' }),
          el('td', r ? r.notified : NO_VALUE, { class: 'n' }),
          el('td', r ? r.declared : NO_VALUE, { class: 'n' }),
          el('td', r ? formatRate(r.rate) : NO_VALUE, { class: below ? 'n rate below' : 'n rate' }),
        );
      }
      return tr;
    }),
  );
}

/** Bars of 申报率 per county and group, 0–100%, with a dashed line at each goal rate. */
function drawChart(status) {
  const counties = countiesOf(status);
  const groups = status.groups;
  const [left, right, top, plotHeight] = [48, 12, 14, 220];
  const width = Math.max(560, Math.min(1180, 120 + counties.length * (groups.length * 22 + 30)));
  const labelLines = counties.some((c) => c.length > 5) ? 2 : 1;
  const height = top + plotHeight + 12 + labelLines * 16 + 4;
  const baseline = top + plotHeight;
  const at = (rate) => baseline - rate * plotHeight;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': `各县（区）各目标组申报率（截至${chineseDate(status.asOf)}）`,
  });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    chart.append(svg('line', { x1: left, x2: width - right, y1: at(tick), y2: at(tick), class: 'grid' }));
    chart.append(svg('text', { x: left - 6, y: at(tick) + 4, class: 'tick' }, `${tick * 100}%`));
  }
  const cw = (width - left - right) / counties.length;
  // Bars at most 28 wide, the group centred in its county's slot.
  const bw = Math.min((cw * 0.8) / groups.length, 28);
  const pad = (cw - bw * groups.length) / 2;
  counties.forEach((county, k) => {
    const cx = left + k * cw;
    if (county === CITY && k > 0) chart.append(svg('line', { x1: cx, x2: cx, y1: top, y2: baseline, class: 'city-rule' }));
    groups.forEach((g, i) => {
      const r = rowOf(status, county, g.id);
      const rate = r ? r.rate : null;
      const x = cx + pad + i * bw;
      const title = `${county} ${g.id} 组：${formatRate(rate)}${r ? `（已申报 ${r.declared} / 应报 ${r.due}）` : ''}`;
      // No employer due (—) and none declared (0) both draw no bar: each gets a mark so they are told apart.
      if (rate === null || rate === 0) {
        const mark = svg('text', { x: x + bw / 2, y: baseline - 4, class: 'mark' }, rate === null ? NO_VALUE : '0');
        mark.append(svg('title', {}, title));
        chart.append(mark);
      } else {
        const bar = svg('rect', { x: x + 1, y: at(rate), width: Math.max(1, bw - 2), height: baseline - at(rate), class: `bar g${i % 6}` });
        bar.append(svg('title', {}, title));
        chart.append(bar);
      }
    });
    const lines =
      county.length > 5 ? [county.slice(0, Math.ceil(county.length / 2)), county.slice(Math.ceil(county.length / 2))] : [county];
    const label = svg('text', { x: cx + cw / 2, y: baseline + 18, class: county === CITY ? 'county city' : 'county' });
    lines.forEach((line, n) => label.append(svg('tspan', { x: cx + cw / 2, dy: n === 0 ? 0 : 16 }, line)));
    chart.append(label);
  });
  const goals = [...new Set(groups.filter((g) => g.goal).map((g) => g.goal.rate))];
  for (const rate of goals) chart.append(svg('line', { x1: left, x2: width - right, y1: at(rate), y2: at(rate), class: 'goal' }));
  chart.append(svg('line', { x1: left, x2: width - right, y1: baseline, y2: baseline, class: 'axis' }));

  const legend = $('chart-caption');
  legend.replaceChildren(
    ...groups.map((g, i) => {
      const item = el('span', undefined, { class: 'legend-item' });
      item.append(el('span', undefined, { class: `swatch g${i % 6}` }), `${g.id} 组 ${g.name}`);
      return item;
    }),
  );
  if (goals.length > 0) {
    const item = el('span', undefined, { class: 'legend-item' });
    item.append(el('span', undefined, { class: 'swatch goal' }), `目标 ${goals.map((r) => `${Math.round(r * 1000) / 10}%`).join('、')}`);
    legend.append(item);
  }
  legend.append(el('span', '“—”：应报为 0', { class: 'legend-item muted' }));
  $('chart').replaceChildren(chart, legend);
}

function drawGroups(status) {
  $('groups').replaceChildren(
    ...status.groups.flatMap((g) => {
      const dd = el('dd');
      dd.append(el('span', g.basis, { class: 'basis' }));
      if (g.goal) dd.append(el('span', goalText(g), { class: 'group-goal' }));
      return [el('dt', `${g.id} 组　${g.name}`), dd];
    }),
  );
}

function drawUnclassified(status) {
  const list = status.unclassified;
  $('unclassified-title').textContent = `无法归类（${list.length} 家）`;
  $('unclassified-rows').replaceChildren(
    ...list.map((u) => {
      const tr = el('tr');
      tr.append(
        el('td', u.county, { class: 'num' }),
        el('td', u.name),
        el('td', u.uscc || '', { class: 'num' }),
        el('td', u.groups.join('、')),
        el('td', u.reason),
      );
      return tr;
    }),
  );
  $('unclassified-table').hidden = list.length === 0;
  $('no-unclassified').hidden = list.length > 0;
}

/** The query of the figures shown: the downloads use the same. */
function query() {
  const params = new URLSearchParams({ asOf: $('as-of').value || todayInChina() });
  if ($('f-county').value) params.set('county', $('f-county').value);
  return params;
}

async function load() {
  const params = query();
  for (const id of ['progress-error', 'as-of-error']) $(id).textContent = '';
  $('as-of').removeAttribute('aria-invalid');
  let status;
  try {
    status = await api('GET', `/api/campaign/status?${params}&pending=0`);
  } catch (failure) {
    if (failure.body.field === 'asOf') {
      $('as-of-error').textContent = failure.message;
      $('as-of').setAttribute('aria-invalid', 'true');
    } else $('progress-error').textContent = failure.message;
    $('results').hidden = true;
    $('downloads').hidden = true;
    return;
  }
  const county = $('f-county').value ? $('f-county').selectedOptions[0].textContent : undefined;
  const empty = status.rows.every((r) => r.due === 0);
  $('empty').hidden = !empty;
  $('results').hidden = empty;
  $('downloads').hidden = empty;
  if (empty) {
    $('empty').textContent =
      `截至${chineseDate(status.asOf)}，${county ? `${county}在` : ''}用人单位数据库中没有单位。` +
      '请先用命令 hazard-notice campaign import <数据库文件> 导入用人单位数据库（名单日期不晚于统计日期），' +
      '再用 hazard-notice campaign declared <平台导出文件> 导入申报情况。';
    return;
  }
  $('download-xlsx').href = `/api/campaign/status.xlsx?${params}`;
  $('download-pdf').href = `/api/campaign/status.pdf?${params}`;
  $('chart-title').textContent = county ? `${county}各目标组申报率` : '各县（区）各目标组申报率';
  $('table-title').textContent = `${county ?? `${status.region}各县（区）`}申报进度（截至${chineseDate(status.asOf)}）`;
  drawTable(status);
  drawChart(status);
  drawGroups(status);
  drawUnclassified(status);
}

$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  load();
});
$('as-of').value = todayInChina();
// A county user sees only their counties (全市 is the city administrator's): the first of theirs is the default.
loadCounties($('f-county'))
  .then(async () => {
    const s = await session();
    if (s.accounts && !s.user.allCounties) $('f-county').options[0].remove();
  })
  .finally(load);
