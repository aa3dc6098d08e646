// One letter issued on demand (the `letter` command, the web app): a number from the register, the letter rendered
// through renderLetter, its files kept under the data directory and recorded, all in the one register.

import fs from 'node:fs';
import path from 'node:path';
import { formatDocNumber, probeDocNumber, type RegionConfig } from '../config/region';
import { HazardNoticeError } from '../errors';
import type { LetterTemplate } from '../letter/template';
import { sha256Hex, writeFileAtomic } from '../output-files/atomic-file';
import { withFileErrors } from '../output-files/fs-error';
import type { FontSet } from '../render/layout/fonts';
import { renderOptionsKey, type RenderOptions } from '../letter/model';
import type { SigningKey } from '../render/pdf/signing-key';
import { renderLetter, trialLayout, type OutputFormat } from '../render/render-letter';
import { withoutSeal, type LetterData } from '../resolve/letter-data';
import { configIdentity } from './remake';
import { employerKey } from './employer-key';
import type { LetterFile, Register } from './register';

export interface IssueLetterInput {
  /** The resolved letter (resolveRecord); its docNumber, if any, is replaced by the one issued. */
  data: LetterData;
  template: LetterTemplate;
  region: RegionConfig;
  fonts: FontSet;
  formats: readonly OutputFormat[];
  /** How the files are made (pages after the letter, --pdfa); recorded, so a remake makes the same. Default: none. */
  render?: RenderOptions;
  source: { kind: 'cli' } | { kind: 'web' };
  /** Signs the PDF with this key (`letter --sign`); the signed file is the one kept and recorded. */
  signingKey?: SigningKey;
  /** The web user issuing it (recorded as issued_by). */
  issuedBy?: string;
}

export interface IssuedLetter {
  /** Register id (for fileFor and the web's download links). */
  id: number;
  docNumber: string;
  seq: number;
  data: LetterData;
  /** Kept files under the data directory, with their bytes. */
  files: (LetterFile & { bytes: Uint8Array })[];
}

/** The PDF signed (the signing modules are loaded only when a letter is signed). */
function signedPdf(pdf: Uint8Array, key: SigningKey) {
  const { signPdf, CmsSigner } = require('../render/pdf/sign-pdf') as typeof import('../render/pdf/sign-pdf');
  return signPdf(pdf, new CmsSigner(key));
}

/**
 * Issues one letter: checks it can be laid out (before a number is taken), takes its number (the same one again
 * for the same employer, date and template), renders it, keeps its files under the data directory and records it.
 */
export async function issueLetter(register: Register, input: IssueLetterInput): Promise<IssuedLetter> {
  const { template, region, fonts, formats } = input;
  const render = renderOptionsKey(input.render ?? {});
  const base = input.data;
  const county = region.counties.find((c) => c.countyCode === base.bureau.countyCode);
  if (!county) throw new Error(`issueLetter: county ${base.bureau.countyCode} is not in the config`);
  const year = Number(base.date.slice(0, 4));
  // Laid out with the widest number this bureau can issue, so a letter refused here never takes one.
  const probe = { ...base, docNumber: probeDocNumber(region.numbering, county.numberPrefix, year) };
  const trial = trialLayout(template, probe, fonts, render);
  if (!trial.ok) {
    const [first, ...rest] = trial.errors;
    throw new HazardNoticeError(first.code, [first, ...rest].map((e) => e.message).join('\n'), first.details);
  }
  const key = employerKey(county.countyCode, base.employer.name, base.employer.uscc);
  const seq = await register.issueNumber({ bureau: county.countyCode, employerKey: key, date: base.date, templateId: template.id });
  const docNumber = formatDocNumber(region.numbering, county.numberPrefix, year, seq);
  const data: LetterData = { ...base, docNumber };
  const rendered = await renderLetter(template, data, fonts, formats, render);
  const signed = input.signingKey && rendered.pdf ? await signedPdf(rendered.pdf.bytes, input.signingKey) : undefined;
  const files = formats.map((format) => {
    const bytes = format === 'pdf' ? (signed?.bytes ?? rendered.pdf!.bytes) : rendered.docx!;
    const signature = format === 'pdf' ? signed?.signature : undefined;
    const file = register.keptPath(
      { county: { code: county.countyCode, name: county.countyName }, year, seq, name: data.employer.name },
      format,
    );
    withFileErrors(file, () => fs.mkdirSync(path.dirname(file), { recursive: true }));
    writeFileAtomic(file, bytes);
    return { format, sha256: sha256Hex(bytes), path: file, bytes, ...(signature && { signature }) };
  });
  const [id] = await register.recordLetters([
    {
      seq,
      employerKey: key,
      data: withoutSeal(data),
      template: { id: template.id, dir: template.dir },
      config: { file: region.file, sha256: configIdentity(region, county.countyCode) },
      render,
      source: input.source,
      files: files.map(({ bytes: _, ...f }) => f),
      issuedBy: input.issuedBy,
    },
  ]);
  return { id, docNumber, seq, data, files };
}
