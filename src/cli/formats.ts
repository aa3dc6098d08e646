// --format values shared by the letter and batch commands.

import type { OutputFormat } from '../batch/jobs';
import { HazardNoticeError } from '../errors';

export type { OutputFormat };

export function parseFormats(value: string): OutputFormat[] {
  const parts = value
    .split(/[,，]/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = parts.filter((p) => p !== 'pdf' && p !== 'docx');
  if (parts.length === 0 || bad.length > 0) {
    throw new HazardNoticeError('E_ARG_FORMAT', `--format “${value}”无效：只能是 pdf、docx 或 pdf,docx`);
  }
  return (['pdf', 'docx'] as const).filter((f) => parts.includes(f));
}
