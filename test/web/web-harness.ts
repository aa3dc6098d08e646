// Helpers for the web app's tests: an app on a fresh data directory, multipart bodies, small batch lists.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { usccCheckCharacter } from '../../src/input/uscc';
import { runCli } from '../cli-run';
import { LETTERS_2024, V1, declaredCsv, employersCsv, lettersCsv } from '../fixtures/campaign/fixture';
import { buildWebApp, type WebApp } from '../../src/web/server';
import type { DeskOptions } from '../../src/web/desk';
import type { LightMyRequestResponse } from 'fastify';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `hn-web-${prefix}-`));
}

export async function webApp(over: Partial<DeskOptions> = {}): Promise<WebApp & { dataDir: string }> {
  const dataDir = over.dataDir ?? tempDir('data');
  const web = await buildWebApp({ dataDir, ...over });
  return { ...web, dataDir };
}

/** The session cookie a login set, as a Cookie header. */
export function sessionCookie(res: LightMyRequestResponse): string {
  return String(res.headers['set-cookie']).split(';')[0];
}

/** A valid USCC from 17 characters. */
export function uscc(first17: string): string {
  return first17 + usccCheckCharacter(first17);
}

/** A multipart/form-data body with one file field. */
export function multipartBody(
  fileName: string,
  content: Buffer | string,
  field = 'file',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----hazardnotice' + 'x'.repeat(12);
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  const payload = Buffer.concat([Buffer.from(head), Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const BATCH_HEADER = '单位名称,统一社会信用代码,行业,区县,乡镇街道,危害因素';

/** A CSV list: two good rows in two counties, one row with an unknown industry. */
export function smallBatchCsv(): string {
  return [
    BATCH_HEADER,
    `柳城甲水泥有限公司,${uscc('91450222MA5K00001')},C3011,柳城县,大埔镇,`,
    `鹿寨乙家具有限公司,,C2110,鹿寨县,鹿寨镇,甲醛`,
    `未知行业有限公司,,不存在的行业,柳城县,,`,
  ].join('\n');
}

/**
 * A data directory holding the campaign fixture (test/fixtures/campaign), made through the CLI as staff would: the
 * employer database of 2024-06-01 (and `extra` employers), the letters of 2024-07-01 and the platform's declarations.
 * As of 2024-12-31 its counts are those test/campaign.test.ts works out by hand.
 */
export async function campaignDataDir(extra: Parameters<typeof employersCsv>[0] = []): Promise<string> {
  const dir = tempDir('campaign');
  const dataDir = path.join(dir, 'data');
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const run = async (...args: string[]) => {
    const r = await runCli(...args, '--data-dir', dataDir);
    if (r.code > 1) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  };
  await run('campaign', 'import', write('employers.csv', employersCsv([...V1, ...extra])), '--date', '2024-06-01');
  await run('batch', write('letters.csv', lettersCsv(LETTERS_2024)), '--out', path.join(dir, 'out'), '--date', '2024-07-01', '--jobs', '1');
  await run('campaign', 'declared', write('declared.csv', declaredCsv()));
  return dataDir;
}
