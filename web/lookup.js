// 查询: the industry and hazard look-ups, the same answers as `hazard-notice industry|hazard --json`.

import { $, api, el, todayInChina } from '/assets/common.js';

function lines(title, rows) {
  $('lookup-title').textContent = title;
  $('lookup-error').textContent = '';
  const pre = el('pre', rows.join('\n'));
  $('lookup-body').replaceChildren(pre);
}

function miss(error) {
  $('lookup-body').replaceChildren();
  const hint =
    error.suggestions && error.suggestions.length > 0
      ? `\n可能是：${error.suggestions.map((s) => (s.code ? `${s.code} ${s.name}` : `${s.name}〔${s.category}〕`)).join('、')}`
      : '';
  $('lookup-error').textContent = `${error.message}（${error.code}）${hint}`;
}

function diseaseNames(list) {
  return list.length > 0 ? list.map((d) => d.name).join('、') : '（该目录中无对应职业病）';
}

async function industry(q) {
  const { lookup } = await api('GET', `/api/industries?q=${encodeURIComponent(q)}&date=${$('lookup-date').value}`);
  if (lookup.error) return miss(lookup.error);
  const rows = [
    ...lookup.path.map((p) => `${p.levelName}  ${p.code}  ${p.name}`),
    `职业病危害风险：${lookup.risk.rating}${lookup.risk.fromCode ? `（按 ${lookup.risk.fromCode} 定级）` : ''}`,
    ...lookup.risk.subcases.map((s) => `  细分情形：${s.name} ${s.rating}`),
    ...(lookup.risk.note ? [`  ${lookup.risk.note}`] : []),
    lookup.coverage.kind === 'none' ? `无典型职业病危害（${lookup.coverage.reason}）：生成告知单时须写明本单位的危害因素` : '',
    `可能存在的职业病危害因素（职业病按 ${lookup.date} 适用的《${lookup.diseaseCatalogue.title}》（${lookup.diseaseCatalogue.docNumber}））：`,
    ...lookup.hazards.flatMap((h, n) => [`  ${n + 1}. ${h.name}〔${h.category}〕`, `     职业病：${diseaseNames(h.diseases)}`]),
  ].filter(Boolean);
  lines(`${lookup.industry.code} ${lookup.industry.name}`, rows);
}

async function hazard(q) {
  const { lookup } = await api('GET', `/api/hazards?q=${encodeURIComponent(q)}&date=${$('lookup-date').value}`);
  if (lookup.error) return miss(lookup.error);
  const h = lookup.hazard;
  lines(`${h.name}（编号 ${h.id}）`, [
    `类别：${h.category}，《职业病危害因素分类目录》第 ${h.seq} 项`,
    ...(h.shortName !== h.name ? [`简称：${h.shortName}`] : []),
    ...(h.aliases.length > 0 ? [`别名：${h.aliases.join('、')}`] : []),
    ...(h.cas ? [`CAS 号：${h.cas}`] : []),
    `可能导致的职业病（${lookup.date} 适用《${lookup.diseaseCatalogue.title}》（${lookup.diseaseCatalogue.docNumber}））：`,
    `  ${diseaseNames(lookup.diseases)}`,
  ]);
}

for (const [form, input, run] of [
  ['industry-form', 'industry-q', industry],
  ['hazard-form', 'hazard-q', hazard],
]) {
  $(form).addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $(input).value.trim();
    if (q) run(q).catch((failure) => ($('lookup-error').textContent = failure.message));
  });
}
$('lookup-date').value = todayInChina();
