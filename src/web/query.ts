// Query parameters as the API takes them: each at most once, at most 200 characters (400 otherwise, in Chinese).

import { ApiError } from './api-error';

/** A query parameter as one string ('' when absent; an array from a repeated parameter is refused). */
export function queryText(query: unknown, name: string): string {
  const value = ((query ?? {}) as Record<string, unknown>)[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new ApiError(400, 'E_REQUEST_FIELD', `参数“${name}”只能出现一次`, { field: name });
  if (value.length > 200) throw new ApiError(400, 'E_REQUEST_FIELD', `参数“${name}”过长`, { field: name });
  return value;
}
