// Validating a parsed file with zod and saying in Chinese what is wrong: which key, what was expected, what was found.
// Shared by every file the user or the knowledge base writes (YAML settings, the catalogue's CSV rows).

import type { z } from 'zod';
import { zod, type Schema } from './lazy-schema';

export type ValuePath = readonly (string | number)[];

/** The first thing wrong with a value: where (a key path into it) and a Chinese sentence naming that key. */
export interface SchemaProblem {
  path: ValuePath;
  /** True when the problem is the key itself (an unknown key), not its value. */
  atKey: boolean;
  message: string;
}

const TYPE_NAMES: Record<string, string> = {
  string: '文字',
  number: '数字',
  integer: '整数',
  float: '小数',
  nan: '非数字（NaN）',
  bigint: '整数',
  boolean: '布尔值（true 或 false）',
  date: '日期',
  null: '空值',
  undefined: '空',
  array: '列表',
  object: '映射（“键: 值”）',
  map: '映射（“键: 值”）',
  set: '集合',
};

const typeName = (t: string) => TYPE_NAMES[t] ?? t;

/** A found value as the message shows it; `typed` adds its kind, for type errors. */
function shown(value: unknown, typed: boolean): string {
  if (typeof value === 'string') return typed ? `文字“${value}”` : `“${value}”`;
  if (typeof value === 'number') return typed ? `数字 ${value}` : ` ${value}`;
  if (typeof value === 'boolean') return ` ${value}`;
  if (value === null || value === undefined) return '空值';
  if (Array.isArray(value)) return '列表';
  if (typeof value === 'object') return '映射';
  return String(value);
}

/**
 * Keeps a message the schema itself gives (e.g. `invalid_type_error`, a union's own errorMap) and blanks zod's
 * English default, so the default can be said in Chinese from the issue's own fields.
 */
const ownMessagesOnly: z.ZodErrorMap = (issue, ctx) => {
  const english = zod().defaultErrorMap(issue, { data: ctx.data, defaultError: '' }).message;
  return { message: ctx.defaultError === english ? '' : ctx.defaultError };
};

/** Unwraps optional/default/effects wrappers. */
function bare(schema: z.ZodTypeAny): z.ZodTypeAny {
  const z = zod();
  for (;;) {
    if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) schema = schema.unwrap();
    else if (schema instanceof z.ZodDefault) schema = schema.removeDefault();
    else if (schema instanceof z.ZodEffects) schema = schema.innerType();
    else return schema;
  }
}

/** The keys an object schema at `path` allows (for "unknown key" messages). */
function allowedKeys(schema: z.ZodTypeAny, path: ValuePath): string[] {
  const z = zod();
  let at: z.ZodTypeAny | undefined = bare(schema);
  for (const step of path) {
    if (at instanceof z.ZodObject && typeof step === 'string') at = (at.shape as Record<string, z.ZodTypeAny>)[step];
    else if (at instanceof z.ZodArray) at = at.element as z.ZodTypeAny;
    else if (at instanceof z.ZodRecord) at = at.valueSchema as z.ZodTypeAny;
    else return [];
    if (!at) return [];
    at = bare(at);
  }
  return at instanceof z.ZodObject ? Object.keys(at.shape as object) : [];
}

function sizeReason(issue: z.ZodTooSmallIssue | z.ZodTooBigIssue): string {
  const small = issue.code === 'too_small';
  const n = String(small ? issue.minimum : issue.maximum);
  switch (issue.type) {
    case 'string':
      if (issue.exact) return `应为 ${n} 个字符`;
      if (small) return n === '1' ? '不能为空' : `至少应有 ${n} 个字符`;
      return `最多 ${n} 个字符`;
    case 'array':
    case 'set':
      if (issue.exact) return `应有 ${n} 项`;
      if (small) return n === '1' ? '不能为空（至少 1 项）' : `至少应有 ${n} 项`;
      return `最多 ${n} 项`;
    default:
      if (small) return issue.inclusive ? `不能小于 ${n}` : `应大于 ${n}`;
      return issue.inclusive ? `不能大于 ${n}` : `应小于 ${n}`;
  }
}

function stringReason(validation: z.StringValidation): string {
  if (typeof validation === 'object') {
    if ('includes' in validation) return `应包含“${validation.includes}”`;
    if ('startsWith' in validation) return `应以“${validation.startsWith}”开头`;
    return `应以“${validation.endsWith}”结尾`;
  }
  return '格式不符';
}

/** What the issue expected, in Chinese (without the key and the found value). */
function expectation(issue: z.ZodIssue, schema: z.ZodTypeAny): string {
  switch (issue.code) {
    case 'invalid_type':
      return `应为${typeName(issue.expected)}`;
    case 'invalid_literal':
      return `应为 ${JSON.stringify(issue.expected)}`;
    case 'unrecognized_keys': {
      const allowed = allowedKeys(schema, issue.path);
      return `有不认识的键“${issue.keys.join('”“')}”${allowed.length > 0 ? `（可用的键：${allowed.join('、')}）` : ''}`;
    }
    case 'invalid_union': {
      const types = issue.unionErrors.flatMap((e) =>
        e.issues.flatMap((i) => (i.code === 'invalid_type' && i.path.length === issue.path.length ? [i.expected] : [])),
      );
      return types.length > 0 ? `应为${[...new Set(types.map(typeName))].join('或')}` : '不符合要求';
    }
    case 'invalid_enum_value':
      return `应为 ${issue.options.join('、')} 之一`;
    case 'too_small':
    case 'too_big':
      return sizeReason(issue);
    case 'invalid_string':
      return stringReason(issue.validation);
    case 'not_multiple_of':
      return `应为 ${String(issue.multipleOf)} 的倍数`;
    case 'not_finite':
      return '应为有限的数字';
    case 'invalid_date':
      return '应为有效的日期';
    default:
      return '不符合要求';
  }
}

function valueAt(data: unknown, path: ValuePath): unknown {
  let at = data;
  for (const step of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}

/** True when the issue is a key absent from its mapping (whatever the schema of its value). */
function isMissingKey(issue: z.ZodIssue, data: unknown): boolean {
  if (issue.path.length === 0) return false;
  const owner = valueAt(data, issue.path.slice(0, -1));
  return owner !== null && typeof owner === 'object' && !Object.hasOwn(owner, issue.path[issue.path.length - 1]);
}

const samePath = (a: ValuePath, b: ValuePath) => a.length === b.length && a.every((step, i) => step === b[i]);

/**
 * Validates `data`; on failure describes the first issue, except that an unknown key is told before a missing key of
 * the same mapping (most often both are one misspelt key, and the list of allowed keys shows the spelling).
 */
export function checkSchema<T>(schemaOf: Schema<T>, data: unknown): { ok: true; value: T } | { ok: false; problem: SchemaProblem } {
  const schema = schemaOf();
  const parsed = schema.safeParse(data, { errorMap: ownMessagesOnly });
  if (parsed.success) return { ok: true, value: parsed.data };
  const { issues } = parsed.error;
  const missing = issues.filter((i) => isMissingKey(i, data));
  const issue =
    issues.find((i) => i.code === 'unrecognized_keys' && missing.some((m) => samePath(m.path.slice(0, -1), i.path))) ?? issues[0];
  const key = issue.path.join('.');
  if (missing.includes(issue)) {
    const parent = issue.path.slice(0, -1);
    const message = `${parent.length > 0 ? `${parent.join('.')} ` : ''}缺少必填的键“${String(issue.path[issue.path.length - 1])}”`;
    return { ok: false, problem: { path: parent, atKey: false, message } };
  }
  if (issue.code === 'unrecognized_keys') {
    const message = `${key ? `${key} ` : ''}${expectation(issue, schema as z.ZodTypeAny)}`;
    return { ok: false, problem: { path: [...issue.path, issue.keys[0]], atKey: true, message } };
  }
  const found = valueAt(data, issue.path);
  const reason = issue.message || expectation(issue, schema as z.ZodTypeAny);
  const empty = issue.code === 'too_small' && (found === '' || (Array.isArray(found) && found.length === 0));
  const foundText = empty ? '' : `，实际为${shown(found, issue.code === 'invalid_type' || issue.code === 'invalid_union')}`;
  return { ok: false, problem: { path: issue.path, atKey: false, message: `${key ? `${key} ` : '文件内容'}${reason}${foundText}` } };
}
