// Accounts in a real browser (Chromium through playwright-core), by labels: the pages send a user without a session
// to the login page, back after logging in; a county user issues a letter for their county, sees only their county
// in the register, and 退出 ends the session.

import type { BrowserContext, Page } from 'playwright-core';
import type { WebApp } from '../../src/web/server';
import { hasChromium, launchChromium, watchedPage } from './chromium';
import { sessionCookie, tempDir, webApp } from './web-harness';

const suite = hasChromium ? describe : describe.skip;
jest.setTimeout(120_000);

suite('accounts in Chromium', () => {
  let web: WebApp & { dataDir: string };
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    web = await webApp({ dataDir: tempDir('browser-accounts') });
    await web.accounts.add('city', '市级管理员', [], '市里的口令-2026');
    await web.accounts.add('liucheng', '县区工作人员', ['450222'], '县里的口令-2026');
    base = await web.app.listen({ port: 0, host: '127.0.0.1' });
    // Another county's letter, issued by the city administrator.
    const login = await web.app.inject({ method: 'POST', url: '/api/session', payload: { login: 'city', password: '市里的口令-2026' } });
    const headers = { cookie: sessionCookie(login), 'x-csrf-token': login.json().csrfToken };
    const payload = { name: '鹿寨乙水泥有限公司', industry: 'C3011', county: '鹿寨县', date: '2026-11-29', formats: ['pdf'] };
    expect((await web.app.inject({ method: 'POST', url: '/api/letters', payload, headers })).statusCode).toBe(201);
    context = await launchChromium();
    ({ page, pageErrors } = await watchedPage(context));
  });
  afterAll(async () => {
    await context?.close();
    await web?.app.close();
  });

  test('login → 单份告知单 → issue → 登记簿 shows only their county → 退出', async () => {
    await page.goto(`${base}/register`);
    await page.waitForURL(`${base}/login?next=%2Fregister`);
    await page.getByLabel('用户名').fill('liucheng');
    await page.getByLabel('口令').fill('错误的口令-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('用户名或口令不对').waitFor();
    await page.getByLabel('口令').fill('县里的口令-2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/register`);
    await page.getByText('liucheng（县区工作人员，柳城县）').waitFor();

    await page.getByRole('link', { name: '单份告知单' }).click();
    await page.getByLabel('单位名称').fill('柳城甲水泥有限公司');
    await page.getByLabel('行业', { exact: true }).pressSequentially('C3011');
    await page.getByRole('option', { name: /C3011 水泥制造/ }).click();
    await page.getByLabel('区县').selectOption({ label: '柳城县' });
    await page.getByLabel('日期').fill('2026-11-29');
    await page.getByRole('button', { name: '生成告知单' }).click();
    await page.locator('#preview[data-rendered="true"]').waitFor();
    expect(await page.locator('#r-number').textContent()).toBe('柳城卫职告〔2026〕1号');

    await page.getByRole('link', { name: '登记簿' }).click();
    await page.getByText('柳城甲水泥有限公司').waitFor();
    expect(await page.locator('#rows').textContent()).not.toContain('鹿寨');
    expect(await page.getByLabel('区县').locator('option').allTextContents()).toEqual(['全部', '柳城县']);

    // 进度: only their county, and it is the default (全市 is the city administrator's).
    await page.getByRole('link', { name: '进度' }).click();
    await page.getByText('柳城县在用人单位数据库中没有单位', { exact: false }).waitFor();
    expect(await page.getByLabel('区县').locator('option').allTextContents()).toEqual(['柳城县']);

    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(`${base}/login`);
    await page.goto(`${base}/`);
    await page.waitForURL(`${base}/login?next=%2F`); // the session is gone
    expect(pageErrors).toEqual([]);
  });
});
