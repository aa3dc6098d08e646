// --format and --jobs values shared by the letter, batch and campaign followup commands.

import os from 'node:os';
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

/** --jobs: 1–64 threads; default the CPU count. */
export function parseJobs(value: string | undefined): number {
  if (value === undefined) return os.availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new HazardNoticeError('E_ARG_JOBS', `--jobs “${value}”无效：应为 1 到 64 的整数`);
  }
  return n;
}
