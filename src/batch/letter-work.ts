// A letter worker's work: makes the template from the batch's source, loads the fonts once, then renders and writes letters.
// Run in worker threads (letter-worker), or in the batch's own thread for a small batch (run-batch).

import { templateFrom, type LetterTemplate } from '../letter/template';
import { loadFontSet, type FontSet } from '../render/layout/fonts';
import type { LetterSetOptions } from '../letter/model';
import type { PdfPage } from '../render/pdf/render-pdf';
import type { SignedPdf } from '../render/pdf/sign-pdf';
import { drawSetPages, layOutLetter, pdfWriter, renderLetter, tryLetter, type RenderOptions } from '../render/render-letter';
import { withSeal, type LetterData } from '../resolve/letter-data';
import { sha256Hex, writeFileAtomic } from '../output-files/atomic-file';
import type { DrawnPage, LetterDataWithoutSeal, StageTimes, WorkerJob, WorkerResult, WorkerSetup, WrittenFile } from './jobs';

export interface Loaded {
  template: LetterTemplate;
  render: RenderOptions;
  seals: Map<string, LetterData['bureau']['seal']>;
  readonly fonts: FontSet;
  /** The whole faces, for trial layouts. */
  readonly trialFonts: FontSet;
  /** `--sign`: signs a PDF with the batch's key. */
  sign?: (pdf: Uint8Array) => Promise<SignedPdf>;
}

/** The signing function for the batch's key; the signing modules are loaded only when the batch signs. */
function signerFor(setup: WorkerSetup): Loaded['sign'] {
  if (!setup.signingKey) return undefined;
  const { signPdf, CmsSigner } = require('../render/pdf/sign-pdf') as typeof import('../render/pdf/sign-pdf');
  const signer = new CmsSigner(setup.signingKey);
  return (pdf) => signPdf(pdf, signer);
}

/**
 * A letter set's pages as a print book has them, for duplex printing: without a receipt, as they are (the letter, its
 * annex on the back). With one, the receipt starts a sheet of its own, to be torn off and returned: sheet 1 = the
 * letter and (on its back) the annex or a blank page, sheet 2 = the receipt and a blank back, so every employer takes
 * two whole sheets and the next employer's letter again starts a sheet.
 */
export function volumePages<P extends Pick<PdfPage, 'width' | 'height' | 'codePoints' | 'meta'>>(
  pages: readonly P[],
  options: LetterSetOptions,
): (P | PdfPage)[] {
  if (!options.receipt) return [...pages];
  const [letter, ...rest] = pages;
  const receipt = rest[rest.length - 1];
  const { blankPdfPage } = pdfWriter();
  const back = options.annex ? rest[0] : blankPdfPage(letter);
  return [letter, back, receipt, blankPdfPage(receipt)];
}

/** Loads template and seals; the fonts on first use, so a worker can start while pass 1 is still cutting them. */
export function load(setup: WorkerSetup): Loaded {
  const template = templateFrom(setup.template);
  let fonts: FontSet | undefined;
  let trialFonts: FontSet | undefined;
  return {
    template,
    render: setup.render,
    seals: setup.seals,
    sign: signerFor(setup),
    get fonts() {
      return (fonts ??= loadFontSet(setup.fontsDir, template.layout));
    },
    get trialFonts() {
      return (trialFonts ??= loadFontSet(setup.trialFontsDir, template.layout));
    },
  };
}

/** The letter's data with its bureau's seal re-attached from the config. */
const sealed = (loaded: Loaded, data: LetterDataWithoutSeal): LetterData => withSeal(data, loaded.seals.get(data.bureau.countyCode));

/**
 * Writes one file atomically (temporary name, rename) without fsync: its SHA-256 goes to the ledger, and a
 * resumed batch trusts no file whose hash differs, so one lost to power failure is made again. (fsync per
 * file cost 5.8 ms a letter, a quarter of the batch.)
 */
function write(file: string, bytes: Uint8Array, out: WrittenFile[], signature?: WrittenFile['signature']): void {
  writeFileAtomic(file, bytes, { fsync: false, syncDir: false });
  out.push({ path: file, sha256: sha256Hex(bytes), bytes: bytes.byteLength, ...(signature && { signature }) });
}

/** A PDF as written: signed when the batch signs (`--sign`). */
async function pdfToWrite(loaded: Loaded, unsigned: Uint8Array): Promise<{ bytes: Uint8Array; signature?: WrittenFile['signature'] }> {
  return loaded.sign ? loaded.sign(unsigned) : { bytes: unsigned };
}

export async function run(loaded: Loaded, job: WorkerJob): Promise<WorkerResult> {
  const ms: StageTimes = { build: 0, pdf: 0, docx: 0, volume: 0, sign: 0, write: 0 };
  const files: WrittenFile[] = [];
  let t = performance.now();
  const lap = (stage: keyof StageTimes) => {
    const now = performance.now();
    ms[stage] += now - t;
    t = now;
  };
  if (job.kind === 'trial') {
    const trials = job.items.map((data) => tryLetter(loaded.template, sealed(loaded, data), loaded.trialFonts, loaded.render));
    return { files, ms, trials };
  }
  if (job.kind === 'volume') {
    const seal = loaded.seals.get(job.countyCode)?.png;
    // Pages drawn by letter jobs are reused; a letter whose PDF an earlier run made is drawn again.
    const pages = job.items.flatMap(({ pages: drawn, data }: { pages?: DrawnPage[]; data?: LetterDataWithoutSeal }) => {
      if (drawn)
        return volumePages(
          drawn.map((page) => ({ ...page, seal: page.sealed ? seal : undefined })),
          loaded.render,
        );
      const letter = layOutLetter(loaded.template, sealed(loaded, data!), loaded.fonts, loaded.render);
      return volumePages(drawSetPages(letter, loaded.fonts, loaded.render), loaded.render);
    });
    lap('build');
    const bytes = pdfWriter().assemblePdf(pages, loaded.fonts, { pdfa: loaded.render.pdfa });
    lap('volume');
    const pdf = await pdfToWrite(loaded, bytes);
    lap('sign');
    write(job.file, pdf.bytes, files, pdf.signature);
    lap('write');
    return { files, ms };
  }
  const pages: (DrawnPage[] | undefined)[] = [];
  for (const item of job.items) {
    const formats = (['pdf', 'docx'] as const).filter((f) => item.files[f]);
    const letter = await renderLetter(loaded.template, sealed(loaded, item.data), loaded.fonts, formats, loaded.render, lap);
    if (letter.pdf) {
      pages.push(letter.pdf.pages.map(({ seal, ...page }) => ({ ...page, sealed: seal !== undefined })));
      const pdf = await pdfToWrite(loaded, letter.pdf.bytes);
      lap('sign');
      write(item.files.pdf!, pdf.bytes, files, pdf.signature);
    } else pages.push(undefined);
    if (letter.docx) write(item.files.docx!, letter.docx, files);
    lap('write');
  }
  return { files, ms, pages };
}
