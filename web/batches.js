// 批量生成: upload → check (counts, rejected rows) → 开始生成 with live progress (SSE) → downloads per county.
// The batch runs in the server: its page (/batches/<id>) can be closed and opened again.

import { $, api, ApiFailure, el, todayInChina } from '/assets/common.js';

let source;

function seconds(s) {
  if (s === null || s === undefined) return '估算中';
  return s >= 60 ? `约 ${Math.floor(s / 60)} 分 ${s % 60} 秒` : `约 ${s} 秒`;
}

const STATE_TEXT = {
  checked: '已检查，尚未生成',
  queued: '排队中',
  running: '生成中',
  done: '已完成',
  failed: '失败',
  interrupted: '已中断（可继续生成）',
};

function show(batch) {
  $('batch-panel').hidden = false;
  $('batch-title').textContent = `批次：${batch.fileName}（${batch.date}）`;
  $('c-read').textContent = batch.counts.rowsRead;
  $('c-accepted').textContent = batch.counts.accepted;
  $('c-rejected').textContent = batch.counts.rejected;
  $('rejects-block').hidden = batch.rejects.length === 0;
  $('rejects').replaceChildren(
    ...batch.rejects.map((r) => {
      const tr = el('tr');
      tr.append(el('td', r.row, { class: 'num' }), el('td', r.column), el('td', r.value), el('td', r.reason));
      return tr;
    }),
  );
  $('rejects-link').href = `/api/batches/${batch.id}/rejects.csv`;
  const canStart = ['checked', 'interrupted', 'failed'].includes(batch.state) && batch.counts.accepted > 0;
  $('start').hidden = !canStart;
  $('batch-error').textContent = batch.error ? `${batch.error.message}（${batch.error.code}）` : '';
  const p = batch.progress;
  $('progress-block').hidden = batch.state === 'checked';
  $('progress').max = Math.max(1, p.total);
  $('progress').value = p.done;
  const rate = p.rate > 0 ? `，${p.rate.toFixed(1)} 份/秒` : '';
  const left = batch.state === 'running' ? `，剩余时间${seconds(p.secondsLeft)}` : '';
  $('status').textContent = `${STATE_TEXT[batch.state]}：${p.done}/${p.total} 份${rate}${left}`;
  $('downloads-block').hidden = batch.state !== 'done';
  if (batch.state === 'done') {
    $('manifest-link').href = `/api/batches/${batch.id}/manifest.csv`;
    $('county-downloads').replaceChildren(
      ...batch.counties.map((c) => {
        const tr = el('tr');
        const volumes = el('td');
        for (let n = 1; n <= c.volumes; n++) {
          volumes.append(
            el('a', `第${n}册`, { href: `/api/batches/${batch.id}/counties/${c.code}/volumes/${n}`, download: '', class: 'button' }),
            ' ',
          );
        }
        const zip = el('td');
        zip.append(
          el('a', `${c.name}告知单（zip）`, {
            href: `/api/batches/${batch.id}/counties/${c.code}/letters.zip`,
            download: '',
            class: 'button',
          }),
        );
        tr.append(el('td', c.name), el('td', c.letters, { class: 'num' }), volumes, zip);
        return tr;
      }),
    );
  }
}

function follow(batch) {
  show(batch);
  if (source) source.close();
  if (batch.state !== 'queued' && batch.state !== 'running') return;
  source = new EventSource(`/api/batches/${batch.id}/events`);
  source.onmessage = (e) => {
    const next = JSON.parse(e.data);
    show(next);
    if (next.state === 'done' || next.state === 'failed') source.close();
  };
}

$('upload-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('file-error').textContent = '';
  const file = $('file').files[0];
  if (!file) {
    $('file-error').textContent = '请选择名单文件';
    return;
  }
  const data = new FormData();
  data.append('file', file);
  $('check').disabled = true;
  $('check').textContent = '检查中…';
  try {
    const query = new URLSearchParams({ date: $('batch-date').value || todayInChina() });
    if ($('batch-annex').checked) query.set('annex', '1');
    if ($('batch-receipt').checked) query.set('receipt', '1');
    const batch = await api('POST', `/api/batches?${query}`, data);
    history.pushState(null, '', `/batches/${batch.id}`);
    follow(batch);
  } catch (failure) {
    if (!(failure instanceof ApiFailure)) throw failure;
    $('file-error').textContent = failure.message;
  } finally {
    $('check').disabled = false;
    $('check').textContent = '上传并检查';
  }
});

$('start').addEventListener('click', async () => {
  const id = location.pathname.split('/')[2];
  $('start').disabled = true;
  try {
    follow(await api('POST', `/api/batches/${id}/start`));
  } catch (failure) {
    $('batch-error').textContent = failure.message;
  } finally {
    $('start').disabled = false;
  }
});

$('batch-date').value = todayInChina();
const opened = location.pathname.split('/')[2];
if (opened) {
  api('GET', `/api/batches/${encodeURIComponent(opened)}`)
    .then(follow)
    .catch((failure) => ($('file-error').textContent = failure.message));
}
