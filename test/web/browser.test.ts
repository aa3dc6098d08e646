// The pages in a real browser: playwright-core driving Debian's Chromium (/usr/bin/chromium), headless, off the
// network, a fresh profile; the server on loopback, port 0. Fields are found by their labels, as an officer sees them.
// Screenshots of each page go to the test's scratch output (HN_SCREENSHOTS to keep them elsewhere).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { pdfText } from '../poppler';
import { hasTool } from '../tools';
import type { WebApp } from '../../src/web/server';
import { hasChromium, launchChromium, watchedPage } from './chromium';
import { smallBatchCsv, tempDir, uscc, webApp } from './web-harness';

const ready = hasChromium && hasTool('pdftotext', ['-v'], 'poppler-utils');
const suite = ready ? describe : describe.skip;
const UPLOAD_LIMIT = 256 * 1024;

suite('the pages in Chromium', () => {
  let web: WebApp & { dataDir: string };
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let dialogs: string[] = [];
  let pageErrors: string[] = [];
  const shots = process.env.HN_SCREENSHOTS ?? path.join(os.tmpdir(), 'hn-web-screenshots');

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    web = await webApp({ uploadLimit: UPLOAD_LIMIT });
    base = await web.app.listen({ port: 0, host: '127.0.0.1' });
    context = await launchChromium();
    ({ page, dialogs, pageErrors } = await watchedPage(context));
  });
  afterAll(async () => {
    await context?.close();
    await web?.app.close();
  });

  async function downloadText(click: () => Promise<void>): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([page.waitForEvent('download'), click()]);
    const file = await download.path();
    return { name: download.suggestedFilename(), text: pdfText(fs.readFileSync(file)).replace(/\s+/g, '') };
  }

  test('单份告知单: fill by labels, pick an industry suggestion, generate, preview, download the PDF', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('单位名称').fill('柳城甲水泥有限公司');
    await page.getByLabel('统一社会信用代码').fill('91450222MA5K000010');
    await page.getByText('校验码错误：第 18 位应为').waitFor();
    await page.getByLabel('统一社会信用代码').fill(uscc('91450222MA5K00003'));
    await page.getByText('校验码正确').waitFor();
    await page.getByLabel('行业', { exact: true }).pressSequentially('水泥');
    await page.getByRole('option', { name: /C3011 水泥制造/ }).click();
    expect(await page.getByLabel('行业', { exact: true }).inputValue()).toBe('C3011 水泥制造');
    await page.getByLabel('区县').selectOption({ label: '柳城县' });
    await page.getByLabel('乡镇（街道）').fill('大埔镇');
    await page.getByLabel('危害因素', { exact: true }).pressSequentially('噪');
    await page.getByRole('option', { name: /噪声/ }).first().click();
    await page.getByLabel('日期').fill('2026-11-29');
    await page.screenshot({ path: path.join(shots, '1-letter-form.png') });
    await page.getByRole('button', { name: '生成告知单' }).click();
    await page.locator('#preview[data-rendered="true"]').waitFor();
    expect(await page.locator('#r-number').textContent()).toBe('柳城卫职告〔2026〕1号');
    expect(await page.locator('#r-hazards').textContent()).toMatch(/^噪声、/);
    await page.screenshot({ path: path.join(shots, '2-letter-issued.png'), fullPage: true });
    const pdf = await downloadText(() => page.getByRole('link', { name: '下载 PDF' }).click());
    expect(pdf.name).toBe('1_柳城甲水泥有限公司.pdf');
    expect(pdf.text).toContain('柳城甲水泥有限公司');
    expect(pdf.text).toContain('柳城卫职告〔2026〕1号');
  });

  test('errors appear beside the field concerned', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('单位名称').fill('某软件有限公司');
    await page.getByLabel('行业', { exact: true }).fill('I651');
    await page.getByLabel('区县').selectOption({ label: '鹿寨县' });
    await page.getByRole('button', { name: '生成告知单' }).click();
    await page.locator('#hazards-error').getByText('无典型职业病危害').waitFor();
    expect(await page.getByLabel('危害因素', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: path.join(shots, '3-letter-error.png') });
  });

  test('the hostile name shows as text and runs nothing, in the letter and the register', async () => {
    const name = '<img src=x onerror=alert(1)>有限公司';
    await page.goto(`${base}/`);
    await page.getByLabel('单位名称').fill(name);
    await page.getByLabel('行业', { exact: true }).fill('C2110');
    await page.getByLabel('区县').selectOption({ label: '柳城县' });
    await page.getByRole('button', { name: '生成告知单' }).click();
    await page.locator('#preview[data-rendered="true"]').waitFor();
    expect(await page.locator('#r-employer').textContent()).toBe(name);
    await page.goto(`${base}/register`);
    await page.getByLabel('单位名称、信用代码或文号').fill('<img');
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByRole('cell', { name, exact: true }).waitFor();
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  test('批量生成: upload, check, start, watch it finish, download a volume; oversized upload → 413 in Chinese', async () => {
    const dir = tempDir('browser-batch');
    const list = path.join(dir, '名单.csv');
    fs.writeFileSync(list, smallBatchCsv());
    await page.goto(`${base}/batches`);
    await page.getByLabel('名单文件').setInputFiles(list);
    await page.getByLabel('日期').fill('2026-11-29');
    await page.getByRole('button', { name: '上传并检查' }).click();
    await page.getByRole('cell', { name: '不存在的行业', exact: true }).waitFor();
    expect(page.url()).toMatch(/\/batches\/[0-9a-f]{16}$/);
    await page.screenshot({ path: path.join(shots, '4-batch-checked.png'), fullPage: true });
    await page.getByRole('button', { name: '开始生成' }).click();
    await page.getByRole('link', { name: '下载 manifest.csv' }).waitFor();
    expect(await page.locator('#status').textContent()).toContain('已完成：2/2 份');
    await page.screenshot({ path: path.join(shots, '5-batch-done.png'), fullPage: true });
    const volume = await downloadText(() =>
      page
        .getByRole('row', { name: /柳城县/ })
        .getByRole('link', { name: '第1册' })
        .click(),
    );
    expect(volume.name).toBe('柳城县_打印合订本_第1册.pdf');
    expect(volume.text).toContain('柳城甲水泥有限公司');

    // Reopened from its address, the batch is still there.
    await page.reload();
    await page.getByRole('link', { name: '下载 manifest.csv' }).waitFor();

    const big = path.join(dir, '大名单.csv');
    fs.writeFileSync(big, `${smallBatchCsv()}\n${'x'.repeat(UPLOAD_LIMIT + 1024)}`);
    await page.goto(`${base}/batches`);
    await page.getByLabel('名单文件').setInputFiles(big);
    await page.getByRole('button', { name: '上传并检查' }).click();
    await page.locator('#file-error').getByText('上传的文件超过 256 KB 的上限，未保存').waitFor();
  });

  test('登记簿 lists every letter and re-downloads one; 查询 answers as the CLI', async () => {
    await page.goto(`${base}/register`);
    await page.getByLabel('区县').selectOption({ label: '柳城县' });
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByText('共 3 份').waitFor();
    await page.screenshot({ path: path.join(shots, '6-register.png'), fullPage: true });
    const row = page.getByRole('row', { name: /柳城甲水泥有限公司.*网页/ });
    const pdf = await downloadText(() => row.getByRole('link', { name: 'PDF' }).click());
    expect(pdf.text).toContain('柳城卫职告〔2026〕1号');

    await page.goto(`${base}/lookup`);
    await page.getByLabel('行业代码或名称').fill('水泥制造');
    await page.getByRole('button', { name: '查询行业' }).click();
    await page.getByText('职业病危害风险：严重').waitFor();
    await page.screenshot({ path: path.join(shots, '7-lookup.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
