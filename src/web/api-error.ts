// Errors as the web API answers them: JSON {code, message, field?, suggestions?} with the CLI's codes and Chinese
// messages; a status by kind. Nothing else (no stack, no path of the server's own files) reaches a client.

import type { FastifyError, FastifyReply } from 'fastify';
import { HazardNoticeError } from '../errors';

export interface ApiErrorBody {
  code: string;
  message: string;
  /** The form field the error is about (name, uscc, industry, county, township, hazards, date, formats, file). */
  field?: string;
  suggestions?: object[];
}

/** A HazardNoticeError carrying what the API reports besides code and message. */
export class ApiError extends HazardNoticeError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly extra: { field?: string; suggestions?: object[] } = {},
  ) {
    super(code, message);
  }
}

/** Statuses of HazardNoticeError codes thrown by the core (anything else the user caused is 422). */
const STATUS_BY_CODE: Record<string, number> = {
  E_DATE_INVALID: 400,
  E_DATE_NO_CATALOGUE: 422,
};

/** Fastify's own request errors, in Chinese. */
function fastifyError(error: FastifyError): { status: number; body: ApiErrorBody } | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { code: 'E_REQUEST_TOO_LARGE', message: '请求内容过大' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { code: 'E_REQUEST_TYPE', message: '不支持的请求内容类型，请以 JSON（application/json）提交' } };
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return {
        status: 413,
        body: { code: 'E_UPLOAD_PARTS', message: '上传内容的字段过多：只需一个名单文件（字段名 file）', field: 'file' },
      };
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { status: 400, body: { code: 'E_UPLOAD_MISSING', message: '上传内容不是有效的 multipart/form-data', field: 'file' } };
    case 'FST_ERR_BAD_URL':
      return { status: 400, body: { code: 'E_REQUEST_URL', message: '请求地址无效' } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: { code: 'E_REQUEST_JSON', message: '请求内容不是有效的 JSON' } };
    default:
      if (/^Multipart:|^Unexpected end of (form|multipart data)/.test(error.message)) {
        return { status: 400, body: { code: 'E_UPLOAD_MISSING', message: '上传内容不完整或格式有误，请重新上传名单文件', field: 'file' } };
      }
      if (error.statusCode === 400 && error.code === undefined) {
        return { status: 400, body: { code: 'E_REQUEST_JSON', message: '请求内容不是有效的 JSON' } };
      }
      return undefined;
  }
}

/** A core message as a client may see it: where the server keeps its data is not shown. */
export function clientText(message: string, dataDir: string): string {
  return message.split(dataDir).join('〈数据目录〉');
}

/** The reply for any error thrown by a route. Unexpected errors are logged on the server, never shown. */
export function sendError(error: unknown, reply: FastifyReply, dataDir: string): FastifyReply {
  if (error instanceof ApiError) {
    return reply.code(error.status).send({ code: error.code, message: error.message, ...error.extra } satisfies ApiErrorBody);
  }
  if (error instanceof HazardNoticeError) {
    const body = { code: error.code, message: clientText(error.message, dataDir) } satisfies ApiErrorBody;
    return reply.code(STATUS_BY_CODE[error.code] ?? 422).send(body);
  }
  const known = error instanceof Error && 'code' in error ? fastifyError(error as FastifyError) : undefined;
  if (known) return reply.code(known.status).send(known.body);
  console.error(error);
  return reply.code(500).send({ code: 'E_INTERNAL', message: '服务器内部错误，请查看服务器日志' } satisfies ApiErrorBody);
}
