// Errors as the web API answers them: JSON {code, message, field?, suggestions?} with the CLI's codes and Chinese
// messages; a status by kind. Nothing else (no stack, no path of the server's own files) reaches a client.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
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
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: { code: 'E_REQUEST_JSON', message: '请求内容不是有效的 JSON' } };
    default:
      if (error.statusCode === 400 && error.code === undefined) {
        return { status: 400, body: { code: 'E_REQUEST_JSON', message: '请求内容不是有效的 JSON' } };
      }
      return undefined;
  }
}

/** The reply for any error thrown by a route. Unexpected errors are logged on the server, never shown. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiError) {
    return reply.code(error.status).send({ code: error.code, message: error.message, ...error.extra } satisfies ApiErrorBody);
  }
  if (error instanceof HazardNoticeError) {
    return reply.code(STATUS_BY_CODE[error.code] ?? 422).send({ code: error.code, message: error.message } satisfies ApiErrorBody);
  }
  const known = error instanceof Error && 'code' in error ? fastifyError(error as FastifyError) : undefined;
  if (known) return reply.code(known.status).send(known.body);
  request.log.error({ err: error }, 'unexpected error');
  return reply.code(500).send({ code: 'E_INTERNAL', message: '服务器内部错误，请查看服务器日志' } satisfies ApiErrorBody);
}
