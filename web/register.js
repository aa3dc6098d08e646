// 登记簿: every letter issued (batch, command line, web), newest first; search, filters, pages; re-download by id.

import { $, api, el, loadCounties } from '/assets/common.js';

let page = 1;

async function load() {
  const params = new URLSearchParams({ page: String(page) });
  for (const [key, id] of [
    ['q', 'q'],
    ['county', 'f-county'],
    ['from', 'from'],
    ['to', 'to'],
  ]) {
    if ($(id).value.trim()) params.set(key, $(id).value.trim());
  }
  $('register-error').textContent = '';
  let result;
  try {
    result = await api('GET', `/api/register?${params}`);
  } catch (failure) {
    $('register-error').textContent = failure.message;
    return;
  }
  $('rows').replaceChildren(
    ...result.items.map((r) => {
      const tr = el('tr');
      const files = el('td');
      for (const f of r.files)
        files.append(el('a', f.format === 'pdf' ? 'PDF' : 'Word', { href: f.url, download: '', class: 'button' }), ' ');
      tr.append(
        el('td', r.number, { class: 'num' }),
        el('td', r.name),
        el('td', r.uscc || '', { class: 'num' }),
        el('td', r.county),
        el('td', r.date, { class: 'num' }),
        el('td', r.source),
        files,
      );
      return tr;
    }),
  );
  $('no-rows').hidden = result.items.length > 0;
  $('page-info').textContent = `第 ${result.page} / ${Math.max(1, result.pages)} 页，共 ${result.total} 份`;
  $('prev').disabled = result.page <= 1;
  $('next').disabled = result.page >= result.pages;
}

$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  page = 1;
  load();
});
$('prev').addEventListener('click', () => {
  page -= 1;
  load();
});
$('next').addEventListener('click', () => {
  page += 1;
  load();
});
loadCounties($('f-county')).finally(load);
