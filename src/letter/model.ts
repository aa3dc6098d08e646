// The document model: what a template produces and what both writers (DOCX, PDF) render.

/** A run of text. A filled blank of the form is an underlined run (`field` names the template field). */
export interface Run {
  text: string;
  underline?: boolean;
  field?: string;
}

/** annexLabel: “附件1” at the top left of an annex (GB/T 9704 8); cell: a line of text in a table cell. */
export type ParagraphRole = 'title' | 'docNumber' | 'salutation' | 'body' | 'signature' | 'date' | 'annexLabel' | 'cell';

export interface Paragraph {
  role: ParagraphRole;
  align: 'left' | 'center' | 'right' | 'justify';
  /** First-line indent in characters (body: 2). */
  indentChars: number;
  /** Right indent in characters (signature: 2 per GB/T 9704 7.3.5.2). */
  rightIndentChars: number;
  /** Empty grid lines before the paragraph. */
  spaceBeforeLines: number;
  runs: Run[];
}

/** A font role: the faces tried in order for each character (per-character fallback). */
export interface FontRole {
  /** Files under the fonts directory, first = preferred face. */
  files: string[];
  /** Names written into the DOCX (w:rFonts eastAsia), as a Chinese office machine has them. */
  docxEastAsia: string;
  docxAscii: string;
  sizePt: number;
}

export interface PageLayout {
  pageWidthMm: number; // 210
  pageHeightMm: number; // 297
  marginTopMm: number; // 37 天头
  marginLeftMm: number; // 28 订口
  textWidthMm: number; // 156 版心 width
  textHeightMm: number; // 225 版心 height
  linesPerPage: number; // 22
  /** GB/T 9704 5.2.3 allows adjusting the grid: a letter that needs more lines gets a tighter line pitch, up to this many. */
  maxLinesPerPage: number; // 28
  charsPerLine: number; // 28
  /** Title line height in grid lines (22 pt title on a 1.5-line pitch). */
  titleLineSpan: number;
  fonts: { body: FontRole; title: FontRole };
}

export interface SealImage {
  png: Uint8Array;
  diameterMm: number;
}

export interface DocumentMeta {
  title: string;
  author: string; // the bureau
  subject: string;
  keywords: string[];
  language: 'zh-CN';
  /** Fixed creation date (the letter's date, YYYY-MM-DD) so output is reproducible. */
  date: string;
  /** The document number, when it has one (PDF/A's dc:identifier). */
  identifier?: string;
}

/** A cell of a ruled form: its width in grid characters and its lines of text (none: left blank to fill by hand). */
export interface TableCell {
  widthChars: number;
  align: 'left' | 'center' | 'right';
  /** Each line starts a new line in the cell (and wraps if longer than the cell). */
  lines: Run[][];
}

export interface TableRow {
  /** Least height in grid lines (a row grows when a cell's text needs more). */
  heightLines: number;
  cells: TableCell[];
}

/** A ruled form after the page's paragraphs (the 送达回证): every row's cells span the same width. */
export interface Table {
  rows: TableRow[];
}

/** A QR code the letter prints beside its signature block (template.yaml qrCodes). */
export interface QrCodeSpec {
  url: string;
  caption: string;
}

export interface LetterDocument {
  meta: DocumentMeta;
  layout: PageLayout;
  paragraphs: Paragraph[];
  table?: Table;
  /** GB/T 9704 7.3.5.1 when present: seal centred over the signature and date. */
  seal?: SealImage;
  /** QR codes beside the signature block, left to right. */
  qrCodes?: QrCodeSpec[];
}

/**
 * The pages a letter is made with besides the letter itself, in this order after it: the annex (附件1, legal basis)
 * and the proof of service (送达回证). Recorded in the register and manifest; more options join this object.
 */
export interface LetterSetOptions {
  annex?: boolean;
  receipt?: boolean;
}

/** The options as recorded (only those asked for, in a fixed key order: same options → same text). */
export function letterSetKey(options: LetterSetOptions): LetterSetOptions {
  const out: LetterSetOptions = {};
  if (options.annex) out.annex = true;
  if (options.receipt) out.receipt = true;
  return out;
}

/** How a letter's files are made, beyond their formats: its pages and the PDF's kind (recorded in the register and manifest). */
export interface RenderOptions extends LetterSetOptions {
  /** PDF/A-2b PDFs (archival: XMP metadata, sRGB output intent). */
  pdfa?: boolean;
}

/** The render options as recorded: only those asked for, in a fixed key order. */
export function renderOptionsKey(options: RenderOptions): RenderOptions {
  return { ...letterSetKey(options), ...(options.pdfa ? { pdfa: true } : {}) };
}
