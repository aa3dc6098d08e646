// POST /api/letters: the request body → an employer record → resolved letter data, or the error of the field concerned.

import { z } from 'zod';
import { parseLetterDate, todayInChina } from '../calendar/date';
import { LEVEL_NAMES, industryCode } from '../catalog/industries';
import { FIELD_NAMES, type EmployerField, type EmployerRecord, type RowError } from '../input/employer';
import { checkUscc } from '../input/uscc';
import type { OutputFormat, RenderOptions } from '../render/render-letter';
import { resolveRecord } from '../resolve/resolve-record';
import type { LetterData } from '../resolve/letter-data';
import { ApiError } from './api-error';
import type { Desk } from './desk';

const text = (max: number) => z.string().max(max, `不能超过 ${max} 个字符`);

const bodySchema = z
  .object({
    name: text(200),
    uscc: text(40).optional(),
    industry: text(100),
    county: text(50),
    township: text(100).optional(),
    hazards: z.array(text(100)).max(50, '最多 50 项').optional(),
    date: text(20).optional(),
    formats: z
      .array(z.enum(['pdf', 'docx']))
      .min(1, '至少一种格式')
      .optional(),
    annex: z.boolean().optional(),
    receipt: z.boolean().optional(),
    pdfa: z.boolean().optional(),
  })
  .strict();

/** Which form field an API body key is (an unknown key is reported as itself). */
const BODY_LABELS: Record<string, string> = {
  ...FIELD_NAMES,
  date: '日期',
  formats: '格式',
  annex: '附件1',
  receipt: '送达回证',
  pdfa: 'PDF/A',
};

export interface LetterRequest {
  data: LetterData;
  formats: OutputFormat[];
  render: RenderOptions;
}

/** The first problem of a body that does not match the schema, as a 400. */
function invalidBody(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const field = issue.path.length > 0 ? String(issue.path[0]) : undefined;
  if (issue.code === 'unrecognized_keys') {
    return new ApiError(400, 'E_REQUEST_FIELD', `不认识的字段：${issue.keys.join('、')}`, { field: issue.keys[0] });
  }
  const label = field ? (BODY_LABELS[field] ?? field) : '请求';
  const reason = issue.code === 'invalid_type' && issue.received === 'undefined' ? '必填' : issue.message;
  const what =
    issue.code === 'invalid_type' && issue.received !== 'undefined'
      ? `类型不对（应为${issue.expected === 'array' ? '列表' : issue.expected === 'boolean' ? ' true 或 false' : '文字'}）`
      : reason;
  const code =
    field === 'name' && reason === '必填'
      ? 'E_NAME_MISSING'
      : field === 'industry' && reason === '必填'
        ? 'E_INDUSTRY_MISSING'
        : 'E_REQUEST_FIELD';
  return new ApiError(400, code, `“${label}”${what}`, field ? { field } : {});
}

/** The resolver's first error, on the field it is about, with structured suggestions where there are some. */
function resolveError(desk: Desk, record: EmployerRecord, errors: RowError[]): ApiError {
  const first = errors[0];
  const field = (Object.keys(FIELD_NAMES) as EmployerField[]).find((f) => FIELD_NAMES[f] === first.column);
  // "网页表单 第 1 行“行业”列（值：…）：原因" → "“行业”（值：…）：原因"
  const message = first.message.replace(/^网页表单 第 1 行(“[^”]*”)列/, '$1');
  let suggestions: object[] | undefined;
  if (first.code === 'E_INDUSTRY_UNKNOWN' || first.code === 'E_INDUSTRY_AMBIGUOUS') {
    const found = desk.kb.findIndustry(record.industry ?? '');
    if (!found.ok) suggestions = found.suggestions.map((i) => industrySuggestion(desk, industryCode(i)));
  } else if (first.code === 'E_HAZARD_UNKNOWN' && first.value !== undefined) {
    const found = desk.kb.findHazard(first.value);
    if (!found.ok) suggestions = found.suggestions.map((h) => ({ id: h.id, name: h.name, category: h.category }));
  } else if (first.code === 'E_COUNTY_UNKNOWN' || first.code === 'E_COUNTY_MISSING') {
    suggestions = desk.region.counties.map((c) => ({ code: c.countyCode, name: c.countyName }));
  }
  return new ApiError(422, first.code, message, { ...(field ? { field } : {}), ...(suggestions ? { suggestions } : {}) });
}

/** An industry as the form's suggestions show it: code, name, path 门类 › 大类 › 中类 (› 小类), 2021 risk class. */
export function industrySuggestion(desk: Desk, code: string) {
  const path = desk.kb.industryPath(code);
  const industry = path[path.length - 1];
  return {
    code,
    name: industry.name,
    level: industry.level,
    levelName: LEVEL_NAMES[industry.level],
    path: path.map((i) => ({ code: industryCode(i), name: i.name })),
    risk: desk.kb.industryRisk(code).rating,
    /** A letter needs at least a 中类. */
    usable: path.length >= 3,
  };
}

export function parseLetterRequest(desk: Desk, body: unknown): LetterRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError(400, 'E_REQUEST_JSON', '请求内容应为 JSON 对象');
  }
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) throw invalidBody(parsed.error);
  const req = parsed.data;
  let date: string;
  try {
    date = req.date ? parseLetterDate(req.date) : todayInChina();
  } catch (e) {
    throw new ApiError(400, 'E_DATE_INVALID', (e as Error).message, { field: 'date' });
  }
  let uscc: string | undefined;
  if (req.uscc !== undefined && req.uscc.trim() !== '') {
    const checked = checkUscc(req.uscc);
    if (!checked.ok) throw new ApiError(422, checked.code, checked.reason, { field: 'uscc' });
    uscc = checked.value;
  }
  const record: EmployerRecord = {
    source: { file: '网页表单', row: 1 },
    name: req.name.trim(),
    uscc,
    industry: req.industry,
    county: req.county,
    township: req.township,
    hazards: req.hazards?.map((h) => h.trim()).filter(Boolean),
    columns: { ...FIELD_NAMES },
  };
  const resolved = resolveRecord(record, {
    kb: desk.kb,
    region: desk.region,
    date,
    maxHazards: desk.template.maxHazards,
    overrides: desk.overrides,
  });
  if (!resolved.ok) throw resolveError(desk, record, resolved.errors);
  return {
    data: resolved.data,
    formats: req.formats ? (['pdf', 'docx'] as const).filter((f) => req.formats!.includes(f)) : ['pdf', 'docx'],
    render: { annex: req.annex === true, receipt: req.receipt === true, pdfa: req.pdfa === true },
  };
}
