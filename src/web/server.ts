// The officer's desk: a Fastify app serving the pages (web/) and the HTTP API (docs/api.md) over one process's
// knowledge base, region config, template and fonts. Loopback only until accounts exist.

import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { parseLetterDate, todayInChina } from '../calendar/date';
import { hazardReport, industryReport } from '../catalog/lookup-report';
import { industryCode } from '../catalog/industries';
import { ApiError, sendError } from './api-error';
import { loadAssets, PAGES } from './assets';
import { BatchDesk, type BatchState } from './batches';
import { openDesk, type Desk, type DeskOptions } from './desk';
import { issueLetter } from '../register/issue-letter';
import type { RegisterRow } from '../register/register';
import { industrySuggestion, parseLetterRequest } from './letter-request';
import { zipStream } from './zip-stream';
import { queryText } from './query';
import { sendDownload } from './download';
import { registerProgressRoutes } from './progress';
import { AccountGate, registerSessionRoutes } from './session';
import { Permissions } from './permissions';
import { findCounty } from '../config/region';
import { Accounts } from '../register/accounts';

/** Strict: scripts, styles, workers and fetches from this server only; no inline script or style, no frames. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const REGISTER_PAGE_SIZE = 20;
const SOURCE_NAMES = { batch: '批量', cli: '命令行', web: '网页' } as const;

/** A register row as the 登记簿 page lists it (a batch's list by its file name only). */
function registerItem(r: RegisterRow) {
  const source = r.source.kind === 'batch' ? `批量：${path.basename(r.source.file)} 第 ${r.source.row} 行` : SOURCE_NAMES[r.source.kind];
  return {
    id: r.id,
    number: r.docNumber,
    name: r.name,
    uscc: r.uscc ?? null,
    county: r.county.name,
    countyCode: r.county.code,
    date: r.date,
    industry: r.industry.path,
    source,
    createdAt: r.createdAt,
    issuedBy: r.issuedBy ?? null,
    files: r.files.map((f) => ({ format: f.format, url: `/api/register/${r.id}/${f.format}`, sha256: f.sha256 })),
  };
}

/** JSON bodies are small (one letter's fields). */
const JSON_BODY_LIMIT = 64 * 1024;

export interface WebApp {
  app: FastifyInstance;
  desk: Desk;
  batches: BatchDesk;
  accounts: Accounts;
  routes: readonly { method: string; url: string }[];
}

function queryDate(query: unknown): string {
  const text = queryText(query, 'date');
  if (!text) return todayInChina();
  try {
    return parseLetterDate(text);
  } catch (e) {
    throw new ApiError(400, 'E_DATE_INVALID', (e as Error).message, { field: 'date' });
  }
}

/** The `industry --json` / `hazard --json` answer, or the CLI's JSON error for a miss. */
function cliAnswer(
  report:
    { ok: true; json: object } | { ok: false; error: { code: string; message: string; details: object }; suggestions: { json: object[] } },
) {
  if (report.ok) return report.json;
  const { error, suggestions } = report;
  return { error: { code: error.code, message: error.message, ...error.details, suggestions: suggestions.json } };
}

/** The Host header of a request from this machine's own browser: a loopback name, any port. */
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

export async function buildWebApp(opts: DeskOptions): Promise<WebApp> {
  const desk = await openDesk(opts);
  const assets = loadAssets();
  const batches = new BatchDesk(desk);
  const publicOrigins = (opts.publicOrigins ?? []).map((o) => new URL(o));
  const app = Fastify({
    logger: false,
    // The client's address from X-Forwarded-For only when the request comes from a proxy on this machine (nginx).
    trustProxy: ['127.0.0.1', '::1'],
    bodyLimit: JSON_BODY_LIMIT,
    frameworkErrors: (error, _request, reply) => sendError(error, reply, desk.dataDir),
  });
  await app.register(multipart, { throwFileSizeLimit: true });
  // Every route, for the permission test (a route added without a check fails it).
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });

  // Only this machine's own pages and the public origins: any other Host (DNS rebinding), or a state change sent from
  // another site's page (Origin), is refused before any route runs. Behind a proxy the Host is the one it passes on
  // (nginx: proxy_set_header Host $host), so it must be a public origin's.
  const publicHosts = new Set(publicOrigins.map((u) => u.host.toLowerCase()));
  const publicOriginSet = new Set(publicOrigins.map((u) => u.origin));
  app.addHook('onRequest', async (request, reply) => {
    const host = (request.headers.host ?? '').toLowerCase();
    const origin = request.headers.origin;
    const loopback = LOOPBACK_HOST.test(host);
    const allowedOrigin = (loopback && origin === `http://${host}`) || (origin !== undefined && publicOriginSet.has(origin));
    const crossSite = request.method !== 'GET' && request.method !== 'HEAD' && origin !== undefined && !allowedOrigin;
    if (!(loopback || publicHosts.has(host)) || crossSite) {
      const where = ['127.0.0.1、localhost 或 [::1]', ...publicOriginSet].join('、');
      return reply.code(403).send({ code: 'E_FORBIDDEN', message: `只接受本机网页的请求（地址须为 ${where}）` });
    }
  });

  // Logins, sessions and CSRF once accounts are configured (session.ts).
  const accounts = new Accounts(desk.register.storage);
  const gate = new AccountGate(accounts);
  registerSessionRoutes(app, desk, gate, { secureCookie: publicOrigins.some((u) => u.protocol === 'https:') });
  const perms = new Permissions(desk, accounts);
  /** The audit entry of a request made with a session (accounts configured); none without accounts. */
  const audit = async (request: FastifyRequest, event: string, detail: Record<string, unknown>) => {
    if (request.account) await accounts.audit({ login: request.account.user.login, client: request.ip, event, outcome: 'ok', detail });
  };
  /** A batch the request may see: its counties within the user's (one with no county: its uploader's only). */
  const batchFor = async (request: FastifyRequest, id: string): Promise<BatchState> => {
    const state = batches.get(id);
    const scope = perms.scope(request);
    if (scope && state.counties.length === 0 && state.issuedBy !== perms.login(request)) {
      await perms.deny(request, '批次', '无权查看该批次：它由其他用户上传');
    }
    await perms.requireCounties(
      request,
      '批次',
      state.counties.map((c) => c.code),
    );
    return state;
  };

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  app.setErrorHandler((error, _request, reply) => sendError(error, reply, desk.dataDir));
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ code: 'E_NOT_FOUND', message: '没有这个页面或接口' }));

  // Pages and their files: a fixed list.
  const page = (url: string) => assets.get(url)!;
  for (const url of Object.keys(PAGES)) app.get(url, (_req, reply) => reply.type(page(url).type).send(page(url).body));
  app.get('/batches/:id', (_req, reply) => reply.type(page('/batches').type).send(page('/batches').body));
  app.get('/assets/*', (request, reply) => {
    const asset = assets.get(request.url.split('?')[0]);
    if (!asset) return reply.code(404).send({ code: 'E_NOT_FOUND', message: '没有这个文件' });
    return reply.type(asset.type).header('cache-control', 'no-cache').send(asset.body);
  });

  // Look-ups.
  app.get('/api/counties', () =>
    desk.region.counties.map((c) => ({ code: c.countyCode, name: c.countyName, bureau: c.name, verified: c.verified })),
  );
  app.get('/api/industries', (request) => {
    const q = queryText(request.query, 'q').trim();
    const date = queryDate(request.query);
    if (!q) return { query: q, items: [], lookup: null };
    const found = desk.kb.findIndustry(q);
    const items = (found.ok ? [found.industry] : found.suggestions).map((i) => industrySuggestion(desk, industryCode(i)));
    return { query: q, items, lookup: cliAnswer(industryReport(desk.kb, q, date, desk.overrides)) };
  });
  app.get('/api/hazards', (request) => {
    const q = queryText(request.query, 'q').trim();
    const date = queryDate(request.query);
    if (!q) return { query: q, items: [], lookup: null };
    const found = desk.kb.findHazard(q);
    const items = (found.ok ? [found.hazard] : found.suggestions).map((h) => ({
      id: h.id,
      name: h.name,
      shortName: h.shortName,
      aliases: h.aliases,
      category: h.category,
    }));
    return { query: q, items, lookup: cliAnswer(hazardReport(desk.kb, q, date)) };
  });

  // Letters and the register.
  app.post('/api/letters', async (request, reply) => {
    const { data, formats, render } = parseLetterRequest(desk, request.body);
    await perms.requireIssue(request, '告知单', [data.bureau.countyCode]);
    const { template, region, fonts, register } = desk;
    const issuedBy = perms.login(request);
    const issued = await issueLetter(register, { data, template, region, fonts, formats, render, source: { kind: 'web' }, issuedBy });
    await audit(request, 'issue', { id: issued.id, number: issued.docNumber, county: data.bureau.countyCode });
    const { employer, bureau, industry } = issued.data;
    return reply.code(201).send({
      id: issued.id,
      number: issued.docNumber,
      employer,
      county: { code: bureau.countyCode, name: bureau.countyName },
      bureau: bureau.name,
      industry,
      hazards: issued.data.hazards.slice(0, template.maxHazards).map((h) => ({ id: h.id, name: h.name, category: h.category })),
      diseases: issued.data.diseases.slice(0, template.maxDiseases).map((d) => d.name),
      diseaseCatalogue: issued.data.diseaseCatalogue,
      date: issued.data.date,
      files: issued.files.map((f) => ({ format: f.format, url: `/api/register/${issued.id}/${f.format}`, sha256: f.sha256 })),
    });
  });
  app.get('/api/register', async (request) => {
    const page = queryText(request.query, 'page') || '1';
    if (!/^[1-9]\d{0,6}$/.test(page)) throw new ApiError(400, 'E_REQUEST_FIELD', `页码“${page}”无效`, { field: 'page' });
    const dateOf = (name: 'from' | 'to') => {
      const text = queryText(request.query, name);
      if (!text) return undefined;
      try {
        return parseLetterDate(text);
      } catch (e) {
        throw new ApiError(400, 'E_DATE_INVALID', (e as Error).message, { field: name });
      }
    };
    const county = queryText(request.query, 'county') || undefined;
    const asked = county === undefined ? undefined : findCounty(desk.region, county);
    if (asked) await perms.requireCounties(request, '登记簿', [asked.countyCode]);
    const result = await desk.register.search({
      q: queryText(request.query, 'q'),
      county,
      counties: perms.scope(request),
      from: dateOf('from'),
      to: dateOf('to'),
      page: Number(page),
      pageSize: REGISTER_PAGE_SIZE,
    });
    return {
      total: result.total,
      page: result.page,
      pageSize: result.pageSize,
      pages: Math.ceil(result.total / result.pageSize),
      items: result.rows.map(registerItem),
    };
  });
  app.get('/api/register/:id/:format', async (request, reply) => {
    const { id, format } = request.params as { id: string; format: string };
    if (!/^[1-9]\d{0,9}$/.test(id) || (format !== 'pdf' && format !== 'docx')) throw new ApiError(404, 'E_NOT_FOUND', '没有这个文件');
    const letter = await desk.register.letter(Number(id));
    if (!letter) throw new ApiError(404, 'E_REGISTER_NOT_FOUND', `登记簿中没有编号为 ${id} 的告知单`);
    await perms.requireCounties(request, '告知单', [letter.county.code]);
    await audit(request, 'download', { id: letter.id, number: letter.docNumber, format });
    const kept = await desk.register.fileFor(Number(id), format, desk);
    const type = format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    // A signed letter whose signed file is gone: its unsigned content, said so in the name and a header.
    const name = kept.unsigned ? path.basename(kept.path).replace(/\.pdf$/, '_未签名.pdf') : path.basename(kept.path);
    if (kept.unsigned) reply.header('x-hazard-notice-signature', 'unsigned-remake');
    return sendDownload(reply, name, type, Buffer.from(kept.bytes));
  });

  // The campaign's progress (进度).
  registerProgressRoutes(app, desk, perms, { groupsFile: opts.groupsFile });

  // Batches.
  app.post('/api/batches', async (request, reply) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > desk.uploadLimit + 64 * 1024) throw tooLarge(desk);
    if (!request.isMultipart())
      throw new ApiError(415, 'E_REQUEST_TYPE', '请以 multipart/form-data 上传名单文件（字段名 file）', { field: 'file' });
    await perms.requireIssue(request, '批量告知单', []);
    const date = queryDate(request.query);
    // 附件1 and 送达回证 with every letter: ?annex=1&receipt=1 (the batch page's checkboxes).
    const letterSet = { annex: queryText(request.query, 'annex') === '1', receipt: queryText(request.query, 'receipt') === '1' };
    const part = await request.file({ limits: { fileSize: desk.uploadLimit, files: 1, parts: 6, fieldSize: 1024 } });
    if (!part || part.fieldname !== 'file')
      throw new ApiError(400, 'E_UPLOAD_MISSING', '没有收到名单文件（字段名 file）', { field: 'file' });
    const fileName = part.filename.slice(0, 200);
    const { id, file } = batches.newUpload(fileName);
    try {
      await pipeline(part.file, fs.createWriteStream(file, { flags: 'wx' }));
      if (part.file.truncated) throw tooLarge(desk);
    } catch (e) {
      batches.discard(id);
      if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(desk);
      throw e;
    }
    const state = await batches.check(id, file, fileName, date, letterSet, perms.login(request));
    // A list with rows for counties outside the user's is refused whole (nothing generated), naming the counties.
    const scope = perms.scope(request);
    const outside = scope ? state.counties.filter((c) => !scope.includes(c.code)) : [];
    if (outside.length > 0) {
      batches.discard(id);
      const rows = outside.map((c) => `${c.name} ${c.letters} 行`).join('、');
      await perms.deny(
        request,
        '批量告知单',
        `名单中有其他区县的行（${rows}），只能为${perms.scopeText(request)}出具：整个名单未保存、未生成；请删去这些行后重新上传`,
        { counties: outside.map((c) => c.code) },
      );
    }
    return reply.code(201).send(state);
  });
  app.get('/api/batches/:id', (request) => batchFor(request, (request.params as { id: string }).id));
  app.post('/api/batches/:id/start', async (request, reply) => {
    const state = await batchFor(request, (request.params as { id: string }).id);
    await perms.requireIssue(request, '批量告知单', []);
    const started = batches.start(state.id);
    await audit(request, 'batch', { batch: state.id, letters: state.counts.accepted });
    return reply.code(202).send(started);
  });
  app.get('/api/batches/:id/events', async (request, reply) => {
    const state = await batchFor(request, (request.params as { id: string }).id);
    reply.hijack();
    reply.raw.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    let last = 0;
    const send = (s: BatchState, force = false) => {
      const now = Date.now();
      if (!force && s.state === 'running' && now - last < 250) return;
      last = now;
      reply.raw.write(`data: ${JSON.stringify(s)}\n\n`);
      if (s.state === 'done' || s.state === 'failed') close();
    };
    const off = batches.listen(state.id, send);
    const close = () => {
      off();
      reply.raw.end();
    };
    request.raw.on('close', off);
    send(state, true);
  });
  app.get('/api/batches/:id/rejects.csv', async (request, reply) => {
    const { id } = await batchFor(request, (request.params as { id: string }).id);
    const file = batches.rejectsFile(id);
    if (!fs.existsSync(file)) throw new ApiError(404, 'E_NOT_FOUND', '该批次没有 rejects.csv');
    return sendDownload(reply, 'rejects.csv', 'text/csv; charset=utf-8', batches.clientCsv(id, file));
  });
  app.get('/api/batches/:id/manifest.csv', async (request, reply) => {
    const { id } = await batchFor(request, (request.params as { id: string }).id);
    const { outDir } = batches.output(id);
    return sendDownload(reply, 'manifest.csv', 'text/csv; charset=utf-8', batches.clientCsv(id, path.join(outDir, 'manifest.csv')));
  });
  app.get('/api/batches/:id/counties/:code/volumes/:n', async (request, reply) => {
    const { id, code, n } = request.params as { id: string; code: string; n: string };
    await batchFor(request, id);
    await perms.requireCounties(request, '批次', [code]);
    const { outDir, manifest } = batches.output(id);
    const county = batches.get(id).counties.find((c) => c.code === code);
    const volume = county && manifest.printVolumes.find((v) => v.county === county.name && String(v.volume) === n);
    if (!volume) throw new ApiError(404, 'E_NOT_FOUND', '没有这一册打印合订本');
    return sendDownload(reply, volume.path.split('/').pop()!, 'application/pdf', fs.readFileSync(`${outDir}/${volume.path}`));
  });
  app.get('/api/batches/:id/counties/:code/letters.zip', async (request, reply) => {
    const { id, code } = request.params as { id: string; code: string };
    await batchFor(request, id);
    await perms.requireCounties(request, '批次', [code]);
    const { outDir, manifest } = batches.output(id);
    const county = batches.get(id).counties.find((c) => c.code === code);
    if (!county) throw new ApiError(404, 'E_NOT_FOUND', '该批次没有这个区县');
    const files = manifest.letters.filter((l) => l.county.code === code).flatMap((l) => l.files.map((f) => f.path));
    return sendDownload(reply, `${county.name}_告知单.zip`, 'application/zip', zipStream(outDir, files));
  });

  app.addHook('onClose', async () => {
    await batches.settle();
    await desk.register.close();
  });
  return { app, desk, batches, accounts, routes };
}

function tooLarge(desk: Desk): ApiError {
  const mb = desk.uploadLimit / 1024 / 1024;
  const limit = mb >= 1 ? `${Math.round(mb * 10) / 10} MB` : `${Math.round(desk.uploadLimit / 1024)} KB`;
  return new ApiError(
    413,
    'E_UPLOAD_TOO_LARGE',
    `上传的文件超过 ${limit} 的上限，未保存；请分成几个文件上传，或在命令行用 batch 命令生成`,
    {
      field: 'file',
    },
  );
}
