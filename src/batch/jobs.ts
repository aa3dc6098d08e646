// Messages between the batch (main thread) and the letter workers.

import type { TemplateSource } from '../letter/template';
import type { SigningKey } from '../render/pdf/signing-key';
import type { PdfPage } from '../render/pdf/render-pdf';
import type { FileSignature } from '../render/pdf/sign-pdf';
import type { OutputFormat, RenderOptions, TrialOutcome } from '../render/render-letter';
import type { LetterData, LetterDataWithoutSeal } from '../resolve/letter-data';

export type { LetterDataWithoutSeal, OutputFormat };

/** What every worker loads once: the batch's template and seals as it read them (a worker reads no YAML). */
export interface WorkerSetup {
  template: TemplateSource;
  /** Each bureau's seal by county code, from the region config. */
  seals: Map<string, LetterData['bureau']['seal']>;
  /** The template's font files, cut down to the batch's characters by pass 1 when PDF is made (read with the first job). */
  fontsDir: string;
  /** The template's whole font files: pass 1's trial layouts (`trial` jobs) are set with them. */
  trialFontsDir: string;
  /** How the batch's files are made: the pages after each letter, PDF/A letters and print volumes. */
  render: RenderOptions;
  /** `--sign`: every PDF (letters and print volumes) is signed with this key. */
  signingKey?: SigningKey;
}

export interface LetterJobItem {
  data: LetterDataWithoutSeal;
  /** Absolute paths of the files to write, by format. */
  files: Partial<Record<OutputFormat, string>>;
}

/** A letter's drawn PDF page as it crosses threads: the seal, when the page has one, is re-attached from the config. */
export type DrawnPage = Omit<PdfPage, 'seal'> & { sealed: boolean };

export type WorkerJob =
  | { kind: 'letters'; items: LetterJobItem[] }
  /**
   * One merged print PDF of a county's letters, each on its own sheet (see volumePages), in the given order: the pages
   * a letter job drew for it, or (its PDF was kept from an earlier run) its data, to be drawn again.
   */
  | { kind: 'volume'; file: string; countyCode: string; items: ({ pages: DrawnPage[] } | { data: LetterDataWithoutSeal })[] }
  /** Pass 1's trial layouts (tryLetter) of letters read, each with a number holding every digit. */
  | { kind: 'trial'; items: LetterDataWithoutSeal[] };

export interface WrittenFile {
  path: string;
  sha256: string;
  bytes: number;
  signature?: FileSignature;
}

/** Milliseconds spent per stage inside a worker. */
export interface StageTimes {
  build: number;
  pdf: number;
  docx: number;
  volume: number;
  sign: number;
  write: number;
}

export interface WorkerResult {
  files: WrittenFile[];
  ms: StageTimes;
  /** Letter jobs: per item, the pages drawn for its PDF, letter first (undefined when the item made no PDF). */
  pages?: (DrawnPage[] | undefined)[];
  /** Trial jobs: per item, its outcome. */
  trials?: TrialOutcome[];
}
