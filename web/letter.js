// 单份告知单: the form, suggestions, the USCC check as typed (the server's own check, served as /assets/uscc.js),
// the letter issued through POST /api/letters and its PDF shown with pdf.js.

import { checkUscc } from '/assets/uscc.js';
import * as pdfjs from '/assets/pdfjs/pdf.mjs';
import { $, api, ApiFailure, el, industryOption, loadCounties, suggest, todayInChina } from '/assets/common.js';

pdfjs.GlobalWorkerOptions.workerSrc = '/assets/pdfjs/pdf.worker.mjs';

const form = $('letter-form');
const FIELDS = ['name', 'uscc', 'industry', 'county', 'township', 'hazards', 'date'];
const HAZARD_SEPARATORS = /[,，、;；]/;

function clearErrors() {
  for (const f of FIELDS) {
    $(`${f}-error`).textContent = '';
    $(f).removeAttribute('aria-invalid');
  }
  $('form-error').textContent = '';
}

function showError(field, message) {
  if (field && FIELDS.includes(field)) {
    $(`${field}-error`).textContent = message;
    $(field).setAttribute('aria-invalid', 'true');
    $(field).focus();
  } else {
    $('form-error').textContent = message;
  }
}

// 统一社会信用代码, checked as typed.
$('uscc').addEventListener('input', () => {
  const value = $('uscc').value.trim();
  $('uscc-error').textContent = '';
  $('uscc-ok').textContent = '';
  $('uscc').removeAttribute('aria-invalid');
  if (!value) return;
  const checked = checkUscc(value);
  if (checked.ok) {
    $('uscc-ok').textContent = '校验码正确';
  } else if (checked.code === 'E_USCC_LENGTH' && value.length < 18) {
    $('uscc-ok').textContent = `已输入 ${value.length} 位，共 18 位`;
  } else {
    $('uscc-error').textContent = checked.reason;
    $('uscc').setAttribute('aria-invalid', 'true');
  }
});

const industry = suggest($('industry'), $('industry-list'), {
  query: (text) => text.trim(),
  fetchItems: async (text) => (await api('GET', `/api/industries?q=${encodeURIComponent(text)}`)).items,
  render: industryOption,
  pick: (item) => {
    $('industry').value = `${item.code} ${item.name}`;
    $('industry-error').textContent = '';
    $('industry').removeAttribute('aria-invalid');
  },
});

suggest($('hazards'), $('hazards-list'), {
  query: (text) => text.split(HAZARD_SEPARATORS).pop().trim(),
  fetchItems: async (text) => (await api('GET', `/api/hazards?q=${encodeURIComponent(text)}`)).items,
  render: (item) => {
    const other = [item.name, ...item.aliases].filter((n) => n !== item.shortName);
    return [el('span', `${item.category}`, { class: 'risk' }), el('span', item.shortName), el('span', other.join('；'), { class: 'path' })];
  },
  pick: (item) => {
    const parts = $('hazards')
      .value.split(HAZARD_SEPARATORS)
      .map((s) => s.trim());
    parts[parts.length - 1] = item.shortName;
    $('hazards').value = `${parts.filter(Boolean).join('、')}、`;
  },
});

async function showPreview(url) {
  const pdf = await pdfjs.getDocument({ url, isEvalSupported: false }).promise;
  const page = await pdf.getPage(1);
  const canvas = $('preview');
  const scale = (canvas.parentElement.clientWidth - 24) / page.getViewport({ scale: 1 }).width;
  const ratio = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: scale * ratio });
  canvas.width = viewport.width;
  canvas.height = viewport.height;
  canvas.style.width = `${viewport.width / ratio}px`;
  await page.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
  canvas.dataset.rendered = 'true';
}

function showLetter(letter) {
  $('result-empty').hidden = true;
  $('result-body').hidden = false;
  $('r-number').textContent = letter.number;
  $('r-employer').textContent = letter.employer.name;
  $('r-bureau').textContent = letter.bureau;
  const ind = letter.industry;
  $('r-industry').textContent = [ind.section, ind.division, ind.group, ind.class]
    .filter(Boolean)
    .map((i) => `${i.code} ${i.name}`)
    .join(' › ');
  $('r-hazards').textContent = letter.hazards.map((h) => h.name).join('、');
  $('r-diseases').textContent = letter.diseases.length > 0 ? letter.diseases.join('、') : '（所列危害因素在目录中无对应职业病）';
  const links = letter.files.map((f) => el('a', f.format === 'pdf' ? '下载 PDF' : '下载 Word', { href: f.url, download: '' }));
  $('r-downloads').replaceChildren(...links);
  const pdf = letter.files.find((f) => f.format === 'pdf');
  $('preview').dataset.rendered = 'false';
  if (pdf) showPreview(pdf.url).catch((e) => ($('form-error').textContent = `预览失败：${e.message}`));
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors();
  const value = (id) => $(id).value.trim();
  const body = { name: value('name'), industry: value('industry'), county: value('county') };
  if (value('uscc')) body.uscc = value('uscc');
  if (value('township')) body.township = value('township');
  const hazards = value('hazards')
    .split(HAZARD_SEPARATORS)
    .map((s) => s.trim())
    .filter(Boolean);
  if (hazards.length > 0) body.hazards = hazards;
  if (value('date')) body.date = value('date');
  if ($('annex').checked) body.annex = true;
  if ($('receipt').checked) body.receipt = true;
  if ($('pdfa').checked) body.pdfa = true;
  $('generate').disabled = true;
  try {
    showLetter(await api('POST', '/api/letters', body));
  } catch (failure) {
    if (!(failure instanceof ApiFailure)) throw failure;
    showError(failure.body.field, failure.message);
    if (failure.body.field === 'industry' && failure.body.suggestions) industry.show(failure.body.suggestions);
  } finally {
    $('generate').disabled = false;
  }
});

$('date').value = todayInChina();
loadCounties($('county')).catch((e) => ($('form-error').textContent = e.message));
