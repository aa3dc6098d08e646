// The 进度 page in Chromium (playwright-core, Debian's /usr/bin/chromium), found by labels as staff see it: open it
// from the menu, pick the as-of date, read a county's figures, download the workbook; a hostile employer name in the
// 无法归类 list stays text. Screenshots go to HN_SCREENSHOTS (default: the run's scratch folder).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import type { WebApp } from '../../src/web/server';
import { hasChromium, launchChromium, watchedPage } from './chromium';
import { campaignDataDir, webApp } from './web-harness';

const suite = hasChromium ? describe : describe.skip;
const HOSTILE = '<img src=x onerror=alert(1)>有限公司';

suite('the 进度 page in Chromium', () => {
  let web: WebApp & { dataDir: string };
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let dialogs: string[] = [];
  let pageErrors: string[] = [];
  const shots = process.env.HN_SCREENSHOTS ?? path.join(os.tmpdir(), 'hn-web-screenshots');

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    // The fixture plus an employer without an industry (无法归类 for A and C) whose name is markup.
    const dataDir = await campaignDataDir([{ id: 'H1', name: HOSTILE, county: '柳城县', workers: '12' }]);
    web = await webApp({ dataDir });
    base = await web.app.listen({ port: 0, host: '127.0.0.1' });
    context = await launchChromium();
    ({ page, dialogs, pageErrors } = await watchedPage(context));
  }, 180_000);
  afterAll(async () => {
    await context?.close();
    await web?.app.close();
  });

  /** The cells of a county's row: 区县, then 应报, 已告知, 已申报, 申报率 for each group. */
  async function rowOf(county: string): Promise<string[]> {
    const row = page.getByRole('table', { name: /申报进度/ }).getByRole('row', { name: new RegExp(`^${county}`) });
    return (await row.locator('th, td').allTextContents()).map((t) => t.trim());
  }

  test('open 进度 from the menu, pick the as-of date, read a county, download the workbook', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '进度' }).click();
    await page.waitForURL(`${base}/progress`);
    expect(await page.getByRole('link', { name: '进度', exact: true }).getAttribute('aria-current')).toBe('page');
    await page.getByLabel('统计日期').fill('2024-12-31');
    await page.getByRole('button', { name: '统计' }).click();
    await page.getByRole('heading', { name: '柳州市各县（区）申报进度（截至2024年12月31日）' }).waitFor();
    expect(await rowOf('柳城县')).toEqual([
      '柳城县',
      '5',
      '3',
      '2',
      '40.0%',
      '4',
      '3',
      '2',
      '50.0%',
      '4',
      '3',
      '2',
      '50.0%',
      '11',
      '5',
      '3',
      '27.3%',
    ]);
    expect(await rowOf('全市')).toEqual([
      '全市',
      '11',
      '6',
      '3',
      '27.3%',
      '8',
      '6',
      '2',
      '25.0%',
      '10',
      '6',
      '3',
      '30.0%',
      '24',
      '10',
      '4',
      '16.7%',
    ]);
    expect(await rowOf('融安县')).toEqual(['融安县', ...Array(4).fill(['0', '0', '0', '—']).flat()]);
    // The chart: a bar per county and group with a rate above 0, and the goal line.
    expect(await page.locator('#chart svg rect.bar').count()).toBe(11);
    expect(await page.locator('#chart svg line.goal').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'progress-1-city.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 Excel 工作簿' }).click()]);
    expect(download.suggestedFilename()).toBe('柳州市申报扩面进度_2024-12-31.xlsx');
    const bytes = fs.readFileSync((await download.path())!);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '汇总',
      '城中区',
      '鱼峰区',
      '柳南区',
      '柳北区',
      '柳江区',
      '柳城县',
      '鹿寨县',
      '融安县',
      '融水苗族自治县',
      '三江侗族自治县',
      '无法归类',
    ]);
    expect(await page.getByRole('link', { name: '下载 PDF 进度报告' }).getAttribute('href')).toBe(
      '/api/campaign/status.pdf?asOf=2024-12-31',
    );
  });

  test('one county; the hostile name in 无法归类 is text and runs nothing', async () => {
    await page.getByLabel('区县').selectOption({ label: '柳城县' });
    await page.getByLabel('统计日期').fill('2024-09-30');
    await page.getByRole('button', { name: '统计' }).click();
    await page.getByRole('heading', { name: '柳城县申报进度（截至2024年9月30日）' }).waitFor();
    // By 2024-09-30: E01 declared (08-15), E04 not yet (10-10); letters of 07-01.
    expect(await rowOf('柳城县')).toEqual([
      '柳城县',
      '5',
      '3',
      '1',
      '20.0%',
      '4',
      '3',
      '0',
      '0.0%',
      '4',
      '3',
      '1',
      '25.0%',
      '11',
      '5',
      '1',
      '9.1%',
    ]);
    expect(await page.getByRole('row', { name: /全市/ }).count()).toBe(0);
    const cell = page.getByRole('cell', { name: HOSTILE, exact: true });
    await cell.waitFor();
    expect(await cell.locator('xpath=following-sibling::td').allTextContents()).toEqual(['', 'A、C', '缺少行业']);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.getByRole('link', { name: '下载 Excel 工作簿' }).getAttribute('href')).toBe(
      '/api/campaign/status.xlsx?asOf=2024-09-30&county=450222',
    );
    await page.screenshot({ path: path.join(shots, 'progress-2-county.png'), fullPage: true });
    expect(dialogs).toEqual([]);
  });

  test('before the database was imported: a clear empty state, no downloads', async () => {
    await page.getByLabel('区县').selectOption({ label: '全部区县及全市' });
    await page.getByLabel('统计日期').fill('2024-05-31');
    await page.getByRole('button', { name: '统计' }).click();
    await page.getByText('截至2024年5月31日，用人单位数据库中没有单位。').waitFor();
    expect(await page.getByRole('table', { name: /申报进度/ }).isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: '下载 Excel 工作簿' }).isVisible()).toBe(false);
    await page.screenshot({ path: path.join(shots, 'progress-3-empty.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
