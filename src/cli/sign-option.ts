// --sign <file.p12> shared by the letter and batch commands: the password comes only from the environment.

import path from 'node:path';
import { HazardNoticeError } from '../errors';
import type { SigningKey } from '../render/pdf/signing-key';
import type { OutputFormat } from './formats';

export const SIGN_PASSWORD_ENV = 'HAZARD_NOTICE_SIGN_PASSWORD';

export const SIGN_OPTION_HELP = `用此证书（PKCS#12：.p12/.pfx）为每份 PDF 签名（不可见签名，adbe.pkcs7.detached）；密码取自环境变量 ${SIGN_PASSWORD_ENV}`;

/** The key and certificate --sign names (undefined without --sign), checked valid now; PDF must be among the formats. */
export function signingKeyOption(file: string | undefined, formats: readonly OutputFormat[]): SigningKey | undefined {
  if (file === undefined) return undefined;
  if (!formats.includes('pdf')) {
    throw new HazardNoticeError('E_ARG_SIGN', `--sign 为 PDF 签名，但 --format 中没有 pdf（Word 文件不签名）`);
  }
  const password = process.env[SIGN_PASSWORD_ENV];
  if (password === undefined) {
    throw new HazardNoticeError(
      'E_SIGN_PASSWORD_MISSING',
      `使用 --sign 须在环境变量 ${SIGN_PASSWORD_ENV} 中提供签名证书“${file}”的密码（密码不接受命令行参数，以免留在命令历史和进程列表中）`,
      { file },
    );
  }
  // node-forge is loaded only here, when something is to be signed.
  return (require('../render/pdf/read-p12') as typeof import('../render/pdf/read-p12')).loadSigningKey(path.resolve(file), password);
}
