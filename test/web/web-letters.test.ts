// POST /api/letters and the register API: numbers from the one register (shared with batches), errors by field,
// re-download by id with the SHA-256 recorded, hostile names kept as text.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { pdfText } from '../poppler';
import { hasTool } from '../tools';
import type { WebApp } from '../../src/web/server';
import { multipartBody, smallBatchCsv, uscc, webApp } from './web-harness';

let web: WebApp & { dataDir: string };
beforeAll(async () => {
  web = await webApp();
});
afterAll(async () => {
  await web.app.close();
});

const post = (payload: object) => web.app.inject({ method: 'POST', url: '/api/letters', payload });
const get = (url: string) => web.app.inject({ method: 'GET', url });
const base = { name: '柳城甲水泥有限公司', industry: 'C3011', county: '柳城县', date: '2026-11-29' };

test('a letter is issued: 201 with number, bureau, industry, hazards, diseases and files by register id', async () => {
  const res = await post({ ...base, uscc: uscc('91450222MA5K00002'), township: '大埔镇', hazards: ['噪声'] });
  expect(res.statusCode).toBe(201);
  const letter = res.json();
  expect(letter).toMatchObject({
    number: '柳城卫职告〔2026〕1号',
    employer: { name: '柳城甲水泥有限公司', township: '大埔镇' },
    county: { code: '450222', name: '柳城县' },
    bureau: '柳城县卫生健康局',
    industry: { group: { code: 'C301' }, class: { code: 'C3011', name: '水泥制造' }, risk: '严重' },
    date: '2026-11-29',
  });
  expect(letter.hazards[0]).toEqual({ id: 'phys-1', name: '噪声', category: '物理因素' });
  expect(letter.diseases.length).toBeGreaterThan(0);
  expect(letter.files.map((f: { format: string; url: string }) => [f.format, f.url])).toEqual([
    ['pdf', `/api/register/${letter.id}/pdf`],
    ['docx', `/api/register/${letter.id}/docx`],
  ]);
  const pdf = await get(letter.files[0].url);
  expect(pdf.headers['content-type']).toBe('application/pdf');
  expect(crypto.createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(letter.files[0].sha256);
  if (hasTool('pdftotext', ['-v'], 'poppler-utils')) {
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, '');
    expect(text).toContain('柳城卫职告〔2026〕1号');
    expect(text).toContain('柳城甲水泥有限公司');
  }
  const docx = await get(letter.files[1].url);
  expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');

  // Same employer, date and template: the same number again.
  expect((await post({ ...base, uscc: uscc('91450222MA5K00002'), township: '大埔镇', hazards: ['噪声'] })).json().number).toBe(
    '柳城卫职告〔2026〕1号',
  );
});

test('web letters and web batches share one number sequence in the register; the register lists and finds them', async () => {
  const upload = await web.app.inject({
    method: 'POST',
    url: '/api/batches?date=2026-11-29',
    ...multipartBody('名单.csv', smallBatchCsv()),
  });
  const id = upload.json().id;
  await web.app.inject({ method: 'POST', url: `/api/batches/${id}/start` });
  for (let state = ''; state !== 'done';) {
    state = (await get(`/api/batches/${id}`)).json().state;
    expect(state).not.toBe('failed');
    await new Promise((r) => setTimeout(r, 100));
  }
  const after = (await post({ ...base, name: '柳城丙建材有限公司' })).json();
  const numbers = (await get('/api/register?county=450222'))
    .json()
    .items.map((r: { number: string }) => r.number)
    .sort();
  expect(numbers).toEqual(['柳城卫职告〔2026〕1号', '柳城卫职告〔2026〕2号', '柳城卫职告〔2026〕3号']);
  expect(after.number).toBe('柳城卫职告〔2026〕3号');

  const page = (await get(`/api/register?q=${encodeURIComponent('柳城甲')}`)).json();
  expect(page).toMatchObject({ total: 2, page: 1, pages: 1 });
  const sources = page.items.map((r: { source: string }) => r.source).sort();
  expect(sources).toEqual(['批量：名单.csv 第 2 行', '网页']);
  expect((await get('/api/register?from=2026-12-01')).json().total).toBe(0);
  expect((await get('/api/register?page=0')).json()).toMatchObject({ code: 'E_REQUEST_FIELD', field: 'page' });
  expect((await get('/api/register?to=2026-02-30')).json()).toMatchObject({ code: 'E_DATE_INVALID', field: 'to' });
});

test('a kept file removed from disk is made again, byte-identical, by id', async () => {
  const letter = (await post({ ...base, name: '柳城丁机械有限公司', industry: 'C3411' })).json();
  const first = (await get(letter.files[0].url)).rawPayload;
  const row = (await get(`/api/register?q=${encodeURIComponent('柳城丁')}`)).json().items[0];
  expect(row.files.find((f: { format: string }) => f.format === 'pdf').sha256).toBe(letter.files[0].sha256);
  const kept = (await web.desk.register.letter(letter.id))!.files.find((f) => f.format === 'pdf')!.path;
  fs.rmSync(kept);
  expect(Buffer.compare((await get(letter.files[0].url)).rawPayload, first)).toBe(0);
  for (const url of ['/api/register/999999/pdf', '/api/register/1/txt', '/api/register/..%2F1/pdf', '/api/register/0/pdf']) {
    const res = await get(url);
    expect(res.statusCode).toBe(404);
  }
});

describe("errors: the CLI's codes and Chinese messages, on the field concerned, never a stack", () => {
  test.each([
    [{ ...base, industry: '水泥制' }, 422, 'E_INDUSTRY_UNKNOWN', 'industry'],
    [{ ...base, industry: 'C30' }, 422, 'E_INDUSTRY_TOO_BROAD', 'industry'],
    [{ ...base, county: '南宁市' }, 422, 'E_COUNTY_UNKNOWN', 'county'],
    [{ ...base, hazards: ['不存在的因素'] }, 422, 'E_HAZARD_UNKNOWN', 'hazards'],
    [{ ...base, industry: 'I651' }, 422, 'E_HAZARD_NEEDED', 'hazards'],
    [{ ...base, uscc: '91450222MA5K000010' }, 422, 'E_USCC_CHECK', 'uscc'],
    [{ ...base, uscc: '9145' }, 422, 'E_USCC_LENGTH', 'uscc'],
    [{ ...base, date: '2026-02-30' }, 400, 'E_DATE_INVALID', 'date'],
    [{ ...base, name: '   ' }, 422, 'E_NAME_MISSING', 'name'],
    [{ industry: 'C3011', county: '柳城县' }, 400, 'E_NAME_MISSING', 'name'],
    [{ ...base, hazards: '噪声' }, 400, 'E_REQUEST_FIELD', 'hazards'],
    [{ ...base, formats: ['odt'] }, 400, 'E_REQUEST_FIELD', 'formats'],
    [{ ...base, path: '/etc/passwd' }, 400, 'E_REQUEST_FIELD', 'path'],
  ])('%j → %i %s', async (body, status, code, field) => {
    const res = await post(body);
    expect(res.statusCode).toBe(status);
    const error = res.json();
    expect(error).toMatchObject({ code, field, message: expect.stringMatching(/[\u4e00-\u9fff]/) });
    expect(Object.keys(error).every((k) => ['code', 'message', 'field', 'suggestions'].includes(k))).toBe(true);
  });

  test('an unknown industry comes with suggestions (path and risk class)', async () => {
    const error = (await post({ ...base, industry: '水泥制' })).json();
    expect(error.message).toContain('“行业”（值：水泥制）：无法识别的行业；可能是：');
    expect(error.suggestions[0]).toMatchObject({ code: expect.stringMatching(/^C30/), path: expect.any(Array), risk: expect.any(String) });
  });

  test('malformed bodies: 400 not JSON, 415 other types, 413 too large', async () => {
    const bad = await web.app.inject({
      method: 'POST',
      url: '/api/letters',
      payload: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'E_REQUEST_JSON']);
    const xml = await web.app.inject({
      method: 'POST',
      url: '/api/letters',
      payload: '<x/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect([xml.statusCode, xml.json().code]).toEqual([415, 'E_REQUEST_TYPE']);
    const text = await web.app.inject({
      method: 'POST',
      url: '/api/letters',
      payload: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect([text.statusCode, text.json().code]).toEqual([400, 'E_REQUEST_JSON']);
    const array = await post([1, 2] as unknown as object);
    expect([array.statusCode, array.json().code]).toEqual([400, 'E_REQUEST_JSON']);
    const huge = await post({ ...base, name: 'x'.repeat(100 * 1024) });
    expect([huge.statusCode, huge.json().code]).toEqual([413, 'E_REQUEST_TOO_LARGE']);
  });
});

test('a hostile name is kept as text: in the JSON, the register and the letter itself', async () => {
  const name = '<img src=x onerror=alert(1)>有限公司';
  const letter = (await post({ ...base, name })).json();
  expect(letter.employer.name).toBe(name);
  const row = (await get(`/api/register?q=${encodeURIComponent('<img')}`)).json().items[0];
  expect(row.name).toBe(name);
  const res = await get(letter.files[0].url);
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[^"<>]*"; filename\*=UTF-8''/);
  expect(res.headers['content-disposition']).not.toContain('<');
});
