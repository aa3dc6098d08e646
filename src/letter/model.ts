// The document model: what a template produces and what both writers (DOCX, PDF) render.

/** A run of text. A filled blank of the form is an underlined run (`field` names the template field). */
export interface Run {
  text: string;
  underline?: boolean;
  field?: string;
}

export type ParagraphRole = 'title' | 'docNumber' | 'salutation' | 'body' | 'signature' | 'date';

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
  /** GB/T 9704 7.3.5.1 when present: seal centred over the signature and date. */
  seal?: SealImage;
  /** QR codes beside the signature block, left to right. */
  qrCodes?: QrCodeSpec[];
}
