// The web app's letter set options: the letter form's annex/receipt checkboxes (POST /api/letters) and the batch page's
// (?annex=1&receipt=1 on the upload), recorded in the register and the batch, and in the files made.

import fs from 'node:fs';
import { pdfInfo, pdfText } from '../poppler';
import type { WebApp } from '../../src/web/server';
import { multipartBody, smallBatchCsv, webApp } from './web-harness';

let web: WebApp & { dataDir: string };
beforeAll(async () => {
  web = await webApp();
});
afterAll(async () => {
  await web.app.close();
});

const get = (url: string) => web.app.inject({ method: 'GET', url });
const base = { name: '柳城甲水泥有限公司', industry: 'C3011', county: '柳城县', date: '2026-11-29' };

test('the letter form’s checkboxes: annex and receipt pages in the PDF, recorded in the register, re-downloaded the same', async () => {
  const res = await web.app.inject({ method: 'POST', url: '/api/letters', payload: { ...base, annex: true, receipt: true } });
  expect(res.statusCode).toBe(201);
  const letter = res.json();
  const pdf = (await get(letter.files[0].url)).rawPayload;
  expect(pdfInfo(pdf).Pages).toBe('3');
  const pages = pdfText(pdf).split('\f');
  expect(pages[1].replace(/\s+/g, '')).toMatch(/^附件1/);
  expect(pages[2].replace(/\s+/g, '')).toMatch(/^送达回证.*柳城卫职告〔2026〕1号/);
  expect((await web.desk.register.letter(letter.id))!.render).toEqual({ annex: true, receipt: true });
  // The kept file lost: remade from the register with the same pages, the same bytes.
  fs.rmSync((await web.desk.register.letter(letter.id))!.files.find((f) => f.format === 'pdf')!.path);
  expect(Buffer.compare((await get(letter.files[0].url)).rawPayload, pdf)).toBe(0);
});

test('a checkbox value that is not true/false is the field’s 400', async () => {
  const res = await web.app.inject({ method: 'POST', url: '/api/letters', payload: { ...base, receipt: 'yes' } });
  expect(res.statusCode).toBe(400);
  expect(res.json()).toMatchObject({ code: 'E_REQUEST_FIELD', field: 'receipt' });
  expect(res.json().message).toContain('送达回证');
});

test('the batch page’s checkboxes: the batch makes every letter with its receipt, volumes with two sheets per employer', async () => {
  const url = '/api/batches?date=2026-11-30&receipt=1';
  const upload = await web.app.inject({ method: 'POST', url, ...multipartBody('名单.csv', smallBatchCsv()) });
  expect(upload.statusCode).toBe(201);
  const id = upload.json().id;
  expect(upload.json().letterSet).toEqual({ receipt: true });
  await web.app.inject({ method: 'POST', url: `/api/batches/${id}/start` });
  for (let state = ''; state !== 'done';) {
    state = (await get(`/api/batches/${id}`)).json().state;
    expect(state).not.toBe('failed');
    await new Promise((r) => setTimeout(r, 100));
  }
  const volume = (await get(`/api/batches/${id}/counties/450222/volumes/1`)).rawPayload;
  expect(pdfInfo(volume).Pages).toBe('4'); // one employer in 柳城县: letter, blank back, receipt, blank back
  expect(pdfText(volume).split('\f')[2].replace(/\s+/g, '')).toMatch(/^送达回证/);
});
