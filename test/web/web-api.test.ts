// The web API through fastify.inject: pages and assets, look-ups (the CLI's answers), batches, limits and errors.

import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { checkUscc } from '../../src/input/uscc';
import { runCli } from '../cli-run';
import { pdfText } from '../poppler';
import { hasTool } from '../tools';
import type { WebApp } from '../../src/web/server';
import { multipartBody, smallBatchCsv, tempDir, uscc, webApp } from './web-harness';

let web: WebApp & { dataDir: string };
beforeAll(async () => {
  web = await webApp();
});
afterAll(async () => {
  await web.app.close();
});

const get = (url: string) => web.app.inject({ method: 'GET', url });

describe('pages and assets', () => {
  test('the start page: every field has a visible label, strict CSP, no inline script', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    for (const [id, label] of [
      ['name', '单位名称'],
      ['uscc', '统一社会信用代码'],
      ['industry', '行业'],
      ['county', '区县'],
      ['township', '乡镇（街道）'],
      ['hazards', '危害因素'],
      ['date', '日期'],
    ]) {
      expect(res.body).toContain(`<label for="${id}">${label}</label>`);
      expect(res.body).toMatch(new RegExp(`<(input|select)[^>]* id="${id}"`));
    }
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toMatch(/\son[a-z]+=|style="/);
  });

  test.each(['/batches', '/batches/0123456789abcdef', '/register', '/lookup'])('%s is a page', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<nav aria-label="主菜单">');
    expect(res.body).not.toMatch(/\son[a-z]+=|style="/);
  });

  test('assets come from a fixed list: pdf.js and its worker from pdfjs-dist, nothing by path', async () => {
    expect((await get('/assets/pdfjs/pdf.mjs')).statusCode).toBe(200);
    expect((await get('/assets/pdfjs/pdf.worker.mjs')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const url of [
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/assets/letter.html',
      '/assets/web/common.js',
      '/package.json',
    ]) {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ code: 'E_NOT_FOUND', message: expect.any(String) });
    }
  });

  test("/assets/uscc.js is the server's own check: same answers as src/input/uscc.ts", async () => {
    const res = await get('/assets/uscc.js');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^export const checkUscc = exports\.checkUscc;$/m);
    const body = res.body.replace(/^export const (\w+) = exports\.\1;$/m, 'return exports.$1;');
    const served = new Function(body)() as typeof checkUscc;
    for (const code of [
      uscc('91450222MA5K00001'),
      '91450222MA5K000010',
      '9145022',
      '91450222MA5K0000I1',
      '9.1450222E+17',
      '914502221234567000',
    ]) {
      expect(served(code)).toEqual(checkUscc(code));
    }
  });
});

describe('look-ups', () => {
  test('/api/counties lists the configured counties', async () => {
    const counties = (await get('/api/counties')).json();
    expect(counties).toHaveLength(10);
    expect(counties).toContainEqual({ code: '450222', name: '柳城县', bureau: '柳城县卫生健康局', verified: false });
  });

  test('/api/industries: suggestions with path and 2021 risk class; lookup is `industry --json`', async () => {
    const res = (await get(`/api/industries?q=${encodeURIComponent('水泥制造')}&date=2026-11-29`)).json();
    expect(res.items[0]).toMatchObject({
      code: 'C3011',
      name: '水泥制造',
      levelName: '小类',
      risk: '严重',
      usable: true,
      path: [{ code: 'C' }, { code: 'C30' }, { code: 'C301' }, { code: 'C3011' }],
    });
    const cli = await runCli('industry', '水泥制造', '--json', '--date', '2026-11-29');
    expect(res.lookup).toEqual(JSON.parse(cli.stdout));
    const typed = (await get(`/api/industries?q=${encodeURIComponent('家具')}`)).json();
    expect(typed.items.length).toBeGreaterThan(1);
    expect(typed.items.map((i: { name: string }) => i.name)).toContain('家具制造业');
  });

  test("/api/industries: a miss is the CLI's JSON error with suggestions", async () => {
    const res = (await get(`/api/industries?q=${encodeURIComponent('水泥制')}&date=2026-11-29`)).json();
    const cli = await runCli('industry', '水泥制', '--json', '--date', '2026-11-29');
    expect(res.lookup).toEqual(JSON.parse(cli.stdout.slice(0, cli.stdout.lastIndexOf('}') + 1)));
    expect(res.lookup.error.code).toBe('E_INDUSTRY_UNKNOWN');
    expect(res.items.length).toBeGreaterThan(0);
  });

  test('/api/hazards: names and aliases suggested; lookup is `hazard --json`', async () => {
    const res = (await get(`/api/hazards?q=${encodeURIComponent('苯')}&date=2025-07-31`)).json();
    expect(res.items[0]).toMatchObject({ name: '苯', category: '化学因素' });
    const cli = await runCli('hazard', '苯', '--json', '--date', '2025-07-31');
    expect(res.lookup).toEqual(JSON.parse(cli.stdout));
    expect((await get('/api/hazards?q=')).json()).toEqual({ query: '', items: [], lookup: null });
  });

  test('bad query parameters are 400 in Chinese', async () => {
    expect((await get('/api/industries?q=a&q=b')).json()).toEqual({ code: 'E_REQUEST_FIELD', message: '参数“q”只能出现一次', field: 'q' });
    const date = await get('/api/hazards?q=x&date=2026-13-01');
    expect(date.statusCode).toBe(400);
    expect(date.json()).toMatchObject({ code: 'E_DATE_INVALID', field: 'date' });
  });

  test('an unexpected failure is a 500 without stack or detail', async () => {
    const spy = jest.spyOn(web.desk.kb, 'findIndustry').mockImplementation(() => {
      throw new Error('boom at /secret/path.ts:1');
    });
    try {
      const res = await get('/api/industries?q=x');
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ code: 'E_INTERNAL', message: '服务器内部错误，请查看服务器日志' });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('batches', () => {
  const upload = (app: WebApp['app'], name: string, content: Buffer | string, query = '?date=2026-11-29') =>
    app.inject({ method: 'POST', url: `/api/batches${query}`, ...multipartBody(name, content) });

  async function finished(id: string) {
    for (;;) {
      const state = (await get(`/api/batches/${id}`)).json();
      if (state.state === 'done' || state.state === 'failed') return state;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  test('upload → check (counts, rejects) → start → progress → downloads by id', async () => {
    const res = await upload(web.app, '名单.csv', smallBatchCsv());
    expect(res.statusCode).toBe(201);
    const checked = res.json();
    expect(checked).toMatchObject({
      state: 'checked',
      fileName: '名单.csv',
      date: '2026-11-29',
      counts: { rowsRead: 3, accepted: 2, rejected: 1 },
    });
    expect(checked.rejects).toEqual([
      { row: '4', column: '行业', value: '不存在的行业', code: 'E_INDUSTRY_UNKNOWN', reason: expect.stringContaining('无法识别的行业') },
    ]);
    expect(fs.readdirSync(path.join(web.dataDir, 'web-batches', checked.id)).sort()).toEqual(['check', 'list', 'state.json']);
    expect(fs.readdirSync(path.join(web.dataDir, 'web-batches', checked.id, 'list'))).toEqual(['名单.csv']);
    expect((await get(`/api/batches/${checked.id}/manifest.csv`)).json()).toMatchObject({ code: 'E_BATCH_NOT_DONE' });

    const started = await web.app.inject({ method: 'POST', url: `/api/batches/${checked.id}/start` });
    expect(started.statusCode).toBe(202);
    const done = await finished(checked.id);
    expect(done).toMatchObject({ state: 'done', progress: { done: 2, total: 2 } });
    expect(done.counties).toEqual([
      { code: '450222', name: '柳城县', letters: 1, volumes: 1 },
      { code: '450223', name: '鹿寨县', letters: 1, volumes: 1 },
    ]);

    const events = await get(`/api/batches/${checked.id}/events`);
    expect(events.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(JSON.parse(events.body.replace(/^data: /, ''))).toMatchObject({ id: checked.id, state: 'done' });

    const manifest = await get(`/api/batches/${checked.id}/manifest.csv`);
    expect(manifest.headers['content-disposition']).toContain("filename*=UTF-8''manifest.csv");
    expect(manifest.body).toContain('柳城甲水泥有限公司');
    const rejects = (await get(`/api/batches/${checked.id}/rejects.csv`)).body;
    expect(rejects).toContain('不存在的行业');
    // Where the server keeps the upload is never shown: the lists name the client's file.
    for (const body of [manifest.body, rejects]) {
      expect(body).not.toContain(web.dataDir);
      expect(body).toContain('名单.csv');
    }

    const volume = await get(`/api/batches/${checked.id}/counties/450222/volumes/1`);
    expect(volume.headers['content-type']).toBe('application/pdf');
    expect(volume.headers['content-disposition']).toContain(encodeURIComponent('柳城县_打印合订本_第1册.pdf'));
    if (hasTool('pdftotext', ['-v'], 'poppler-utils'))
      expect(pdfText(volume.rawPayload).replace(/\s+/g, '')).toContain('柳城甲水泥有限公司');

    const zip = await JSZip.loadAsync((await get(`/api/batches/${checked.id}/counties/450223/letters.zip`)).rawPayload);
    expect(Object.keys(zip.files).sort()).toEqual(['鹿寨县/1_鹿寨乙家具有限公司.docx', '鹿寨县/1_鹿寨乙家具有限公司.pdf']);
    const inZip = await zip.file('鹿寨县/1_鹿寨乙家具有限公司.pdf')!.async('nodebuffer');
    expect(inZip.subarray(0, 5).toString()).toBe('%PDF-');

    for (const url of ['counties/450222/volumes/2', 'counties/450205/letters.zip', 'counties/..%2F..%2Fstate.json/volumes/1']) {
      expect((await get(`/api/batches/${checked.id}/${url}`)).statusCode).toBe(404);
    }
    expect((await web.app.inject({ method: 'POST', url: `/api/batches/${checked.id}/start` })).json()).toMatchObject({
      code: 'E_BATCH_DONE',
    });
  });

  test('a batch page can be reopened after a restart; one cut off by it is interrupted', async () => {
    const dataDir = tempDir('restart');
    const first = await webApp({ dataDir });
    const checked = (await upload(first.app, 'list.csv', smallBatchCsv())).json();
    await first.app.close();
    const state = path.join(dataDir, 'web-batches', checked.id, 'state.json');
    fs.writeFileSync(state, JSON.stringify({ ...JSON.parse(fs.readFileSync(state, 'utf8')), state: 'running' }));
    const second = await webApp({ dataDir });
    try {
      expect((await second.app.inject({ method: 'GET', url: `/api/batches/${checked.id}` })).json()).toMatchObject({
        state: 'interrupted',
        counts: { accepted: 2 },
      });
    } finally {
      await second.app.close();
    }
  });

  test('unknown ids, non-multipart bodies and unlisted types are refused; nothing is stored', async () => {
    for (const id of ['0123456789abcdef', 'x'.repeat(16), '..%2F..%2Fetc']) {
      const res = await get(`/api/batches/${id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'E_BATCH_UNKNOWN' });
    }
    const json = await web.app.inject({ method: 'POST', url: '/api/batches', payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ code: 'E_REQUEST_TYPE' });
    const before = fs.readdirSync(path.join(web.dataDir, 'web-batches')).length;
    for (const name of ['list.txt', 'list.exe', 'list', '../../list.csv.sh', '..\\..\\x.bat']) {
      const res = await upload(web.app, name, 'a,b\n');
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ code: 'E_UPLOAD_TYPE', field: 'file' });
    }
    expect(fs.readdirSync(path.join(web.dataDir, 'web-batches')).length).toBe(before);
  });

  test('uploads over the size limit are 413 while streaming, over the row limit 413 after the count; neither is kept', async () => {
    const small = await webApp({ uploadLimit: 4096, rowLimit: 2 });
    try {
      const big = await upload(small.app, 'big.csv', `${smallBatchCsv()}\n${'x'.repeat(10000)}`);
      expect(big.statusCode).toBe(413);
      expect(big.json()).toEqual({ code: 'E_UPLOAD_TOO_LARGE', message: expect.stringContaining('超过 4 KB 的上限'), field: 'file' });
      const rows = await upload(small.app, 'rows.csv', smallBatchCsv());
      expect(rows.statusCode).toBe(413);
      expect(rows.json()).toMatchObject({
        code: 'E_UPLOAD_ROWS',
        message: expect.stringContaining('名单有 3 行，超过网页批量的上限 2 行'),
      });
      expect(fs.readdirSync(path.join(small.dataDir, 'web-batches'))).toEqual([]);
    } finally {
      await small.app.close();
    }
  });

  test("a zip bomb disguised as xlsx is stopped by the reader's inflation caps (422, the client's file name, no path)", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名单').addRow(['单位名称', '行业', '区县']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    for (const [signature, nameAt, sizeAt] of [
      [0x04034b50, 30, 22],
      [0x02014b50, 46, 24],
    ]) {
      for (let at = xlsx.indexOf(name); at >= 0; at = xlsx.indexOf(name, at + 1)) {
        if (xlsx.readUInt32LE(at - nameAt) === signature) xlsx.writeUInt32LE(2 ** 32 - 1, at - nameAt + sizeAt);
      }
    }
    const res = await upload(web.app, 'bomb.xlsx', xlsx);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'E_INPUT_READ', field: 'file', message: expect.stringContaining('“bomb.xlsx”') });
    expect(res.json().message).toContain('解压后过大');
    expect(res.body).not.toContain(web.dataDir);
  });
});

test('unknown routes are 404 JSON in Chinese', async () => {
  const res = await get('/api/nothing');
  expect(res.statusCode).toBe(404);
  expect(res.json()).toEqual({ code: 'E_NOT_FOUND', message: '没有这个页面或接口' });
});

describe('requests from elsewhere and malformed requests', () => {
  test('a Host that is not a loopback name (DNS rebinding) or a POST from another site is refused with 403', async () => {
    const foreign = await web.app.inject({ method: 'GET', url: '/api/register', headers: { host: 'evil.example' } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ code: 'E_FORBIDDEN', message: expect.stringContaining('只接受本机网页的请求') });
    for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080']) {
      expect((await web.app.inject({ method: 'GET', url: '/api/counties', headers: { host } })).statusCode).toBe(200);
    }
    const crossSite = await web.app.inject({
      method: 'POST',
      url: '/api/letters',
      headers: { host: '127.0.0.1:8080', origin: 'http://evil.example' },
      payload: { name: '柳州市某厂', industry: 'C3011', county: '柳城县' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect((await web.desk.register.search({ q: '柳州市某厂' })).total).toBe(0);
  });

  test('an upload with many form fields gets 413 in Chinese, not a hung request', async () => {
    const boundary = '----hnfields';
    const fields = Array.from({ length: 8 }, (_, i) => `--${boundary}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nx\r\n`).join(
      '',
    );
    const res = await web.app.inject({
      method: 'POST',
      url: '/api/batches?date=2026-11-29',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `${fields}--${boundary}--\r\n`,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'E_UPLOAD_PARTS', field: 'file' });
  });

  test('a malformed URL gets 400 in Chinese without echoing it', async () => {
    const res = await get('/api/register/%E0%A4%A');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'E_REQUEST_URL', message: '请求地址无效' });
  });
});
