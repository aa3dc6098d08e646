// The 进度 API (fastify.inject, no socket) on the campaign fixture made through the CLI: the status as
// `campaign status --json` gives it, the downloads, parameter errors, and an empty store.

import ExcelJS from 'exceljs';
import type { CampaignStatus } from '../../src/campaign/status-model';
import { todayInChina } from '../../src/calendar/date';
import { runCli } from '../cli-run';
import { pdfText } from '../poppler';
import { hasTool } from '../tools';
import { campaignDataDir, webApp } from './web-harness';

jest.setTimeout(180_000);

type App = Awaited<ReturnType<typeof webApp>>;
let web: App;
let empty: App;

beforeAll(async () => {
  web = await webApp({ dataDir: await campaignDataDir() });
  empty = await webApp();
});
afterAll(async () => {
  await web?.app.close();
  await empty?.app.close();
});

const get = (app: App, url: string) => app.app.inject({ method: 'GET', url });

/** county → group → [due, notified, declared, rate]. */
function table(s: CampaignStatus, counties: string[]) {
  const out: Record<string, Record<string, [number, number, number, number | null]>> = {};
  for (const r of s.rows.filter((x) => counties.includes(x.county)))
    (out[r.county] ??= {})[r.group] = [r.due, r.notified, r.declared, r.rate];
  return out;
}

describe('GET /api/campaign/status', () => {
  test('is what `campaign status --json` prints, with the hand-computed counts', async () => {
    const r = await get(web, '/api/campaign/status?asOf=2024-12-31');
    expect(r.statusCode).toBe(200);
    const status = r.json<CampaignStatus>();
    const cli = await runCli('campaign', 'status', '--as-of', '2024-12-31', '--json', '--data-dir', web.dataDir);
    expect(cli.code).toBe(0);
    expect(status).toEqual(JSON.parse(cli.stdout));
    expect(table(status, ['柳城县', '全市'])).toEqual({
      柳城县: { A: [5, 3, 2, 0.4], B: [4, 3, 2, 0.5], C: [4, 3, 2, 0.5], ALL: [10, 5, 3, 0.3] },
      全市: { A: [11, 6, 3, 3 / 11], B: [8, 6, 2, 0.25], C: [10, 6, 3, 0.3], ALL: [23, 10, 4, 4 / 23] },
    });
    expect(status.groups.map((g) => [g.id, g.goal?.by])).toEqual([
      ['A', '2024-12-31'],
      ['B', '2024-12-31'],
      ['C', '2025-12-31'],
      ['ALL', undefined],
    ]);
    expect(status.unclassified.map((u) => u.name)).toContain('柳城辛商贸有限公司');
    expect(status.pending.length).toBe(19);
  });

  test('one county by name, short name or code; pending=0 leaves the work list out', async () => {
    for (const county of ['鹿寨县', '鹿寨', '450223']) {
      const s = (await get(web, `/api/campaign/status?asOf=2024-12-31&county=${encodeURIComponent(county)}`)).json<CampaignStatus>();
      expect(table(s, ['鹿寨县', '全市'])).toEqual({
        鹿寨县: { A: [3, 1, 1, 1 / 3], B: [2, 1, 0, 0], C: [4, 2, 1, 0.25], ALL: [6, 2, 1, 1 / 6] },
      });
      expect(s.rows).toHaveLength(4);
      expect(s.unclassified.map((u) => u.county)).toEqual(['鹿寨县']);
    }
    const short = (await get(web, '/api/campaign/status?asOf=2024-12-31&pending=0')).json<Partial<CampaignStatus>>();
    expect(short.pending).toBeUndefined();
    expect(short.rows).toHaveLength(11 * 4);
  });

  test('asOf defaults to today in Beijing time', async () => {
    expect((await get(web, '/api/campaign/status?pending=0')).json<CampaignStatus>().asOf).toBe(todayInChina());
  });

  test('bad parameters: 400 in Chinese naming the parameter and its value, nothing of the server shown', async () => {
    const cases: [string, string, string, string][] = [
      ['asOf=2024-13-01', 'E_DATE_INVALID', 'asOf', '参数 asOf（统计日期）“2024-13-01”无效'],
      ['asOf=yesterday', 'E_DATE_INVALID', 'asOf', '“yesterday”'],
      [`county=${encodeURIComponent('柳州县')}`, 'E_COUNTY_UNKNOWN', 'county', '参数 county（区县）“柳州县”不在区域配置中（可选：城中区、'],
      [`county=${encodeURIComponent('../../etc/passwd')}`, 'E_COUNTY_UNKNOWN', 'county', '“../../etc/passwd”'],
      ['asOf=2024-12-31&asOf=2025-01-01', 'E_REQUEST_FIELD', 'asOf', '参数“asOf”只能出现一次'],
      ['asof=2024-12-31', 'E_REQUEST_FIELD', 'asof', '不认识的参数“asof”'],
      ['pending=2', 'E_REQUEST_FIELD', 'pending', '参数 pending“2”无效'],
    ];
    for (const ext of ['', '.xlsx', '.pdf']) {
      for (const [q, code, field, message] of cases) {
        const r = await get(web, `/api/campaign/status${ext}?${q}`);
        expect([q, r.statusCode]).toEqual([q, 400]);
        const body = r.json<{ code: string; field: string; message: string }>();
        expect(body).toEqual({ code, field, message: expect.stringContaining(message) });
        expect(body.message).not.toContain(web.dataDir);
        expect(body.message).not.toMatch(/liuzhou\.yaml|\/config\//);
        expect(r.headers['content-disposition']).toBeUndefined();
      }
    }
  });

  test('an empty campaign store: zero rows, nothing unclassified, not an error; its reports still download', async () => {
    const r = await get(empty, '/api/campaign/status?asOf=2024-12-31');
    expect(r.statusCode).toBe(200);
    const s = r.json<CampaignStatus>();
    expect(s.rows).toHaveLength(11 * 4);
    expect(s.rows.every((row) => row.due === 0 && row.notified === 0 && row.declared === 0 && row.rate === null)).toBe(true);
    expect([s.unclassified, s.pending]).toEqual([[], []]);
    for (const ext of ['xlsx', 'pdf']) expect((await get(empty, `/api/campaign/status.${ext}?asOf=2024-12-31`)).statusCode).toBe(200);
  });
});

describe('downloads', () => {
  test('status.xlsx: a workbook named in Chinese (RFC 5987) with the summary, county and 无法归类 sheets', async () => {
    const r = await get(web, '/api/campaign/status.xlsx?asOf=2024-12-31');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const name = '柳州市申报扩面进度_2024-12-31.xlsx';
    expect(r.headers['content-disposition']).toBe(
      `attachment; filename="${'_'.repeat(10)}2024-12-31.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    expect(r.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const counties = ['城中区', '鱼峰区', '柳南区', '柳北区', '柳江区', '柳城县', '鹿寨县', '融安县', '融水苗族自治县', '三江侗族自治县'];
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', ...counties, '无法归类']);
    // Same status, same bytes: the CLI's writer is the one used.
    const again = await get(web, '/api/campaign/status.xlsx?asOf=2024-12-31');
    expect(again.rawPayload.equals(r.rawPayload)).toBe(true);
  });

  test('status.xlsx for one county is named after it', async () => {
    const r = await get(web, `/api/campaign/status.xlsx?asOf=2024-12-31&county=${encodeURIComponent('柳城')}`);
    const name = '柳州市申报扩面进度_柳城县_2024-12-31.xlsx';
    expect(r.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '柳城县', '无法归类']);
  });

  const withPoppler = hasTool('pdftotext', ['-v'], 'poppler-utils') ? test : test.skip;
  withPoppler('status.pdf: the progress report with its title, table and chart', async () => {
    const r = await get(web, '/api/campaign/status.pdf?asOf=2024-12-31');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('柳州市申报扩面进度_2024-12-31.pdf')}`);
    const text = pdfText(r.rawPayload).replace(/\s+/g, '');
    expect(text).toContain('柳州市职业病危害项目申报扩面行动进度（截至2024年12月31日）');
    expect(text).toContain('图1');
    expect(text).toContain('柳城县');
    // As `campaign status --out`: the region's commission as issuer, and the city's trend over the month ends.
    expect(text).toContain('柳州市卫生健康委员会');
    expect(text).toContain('图2柳州市申报率变化');
  });
});
