// The DOCX writer: a LetterDocument → a .docx a clerk can open and edit in Word, WPS or LibreOffice.
import crypto from 'node:crypto';
import type { ImageRun } from 'docx';
import { defaultFontsDir, loadFontSet, type FontSet } from '../layout/fonts';
import { gridOf } from '../layout/grid';
import { CELL_PADDING_CHARS, layoutDocument, RULE_WIDTH_PT, type LaidPage, type LaidSeal } from '../layout/layout';
import { urlSpans } from '../layout/links';
import { IMAGE_RELATIONSHIP, qrDrawingXml, qrPngPart } from './qr-drawing';
import type { LetterDocument, PageLayout, Paragraph, Run, SealImage } from '../../letter/model';
import { corePropertiesXml } from './core-properties';
import { fontTableXml } from './font-table';
import { deflatePart, zipDeterministic } from './package-zip';
import { escapeXml } from './xml-text';
import { docxPageGeometry, type DocxPageGeometry } from './page-geometry';
import { type DocxSkeleton, readPrebuiltSkeletons, writePrebuiltSkeletons, type RawSkeleton } from './prebuilt-skeletons';

/** The docx package, loaded only to pack a skeleton no prebuilt image holds. */
type Docx = typeof import('docx');

export interface RenderDocxOptions {
  /** The bundled faces (for measuring the signature block and placing the seal); default: fonts/ of the package. */
  fonts?: FontSet;
  /** The document already laid out with those fonts (the batch lays out once for both writers). */
  laid?: LaidPage;
  /** Pages after the letter (annex, receipt), each laid out with the same fonts: a section each, after the letter's. */
  more?: readonly { document: LetterDocument; page: LaidPage }[];
}

const TWIPS_PER_PT = 20;
const EMU_PER_PT = 12700;
/** Word's default header and footer distances (1.5 cm, 1.75 cm); the letter has neither. */
const HEADER_DISTANCE_TWIPS = 851;
const FOOTER_DISTANCE_TWIPS = 992;
const PX_PER_PT = 96 / 72;

const JC = { left: 'left', center: 'center', right: 'right', justify: 'both' } as const;

/**
 * Right indents in twips per paragraph. The 署名 and date lines take theirs from the shared layout
 * (GB/T 9704 7.3.5: it right-aligns them with the signature block's indents), read back from where it
 * placed their last character, so DOCX and PDF agree.
 */
function rightIndentsTwips(doc: LetterDocument, laid: LaidPage): number[] {
  const grid = gridOf(doc.layout);
  return doc.paragraphs.map((p) => {
    const line = p.role === 'signature' || p.role === 'date' ? laid.lines.find((l) => l.role === p.role) : undefined;
    const last = line?.chars[line.chars.length - 1];
    const rightPt = last ? grid.left + grid.measure - (last.x + last.width) : p.rightIndentChars * grid.charPitch;
    return Math.round(rightPt * TWIPS_PER_PT);
  });
}

/**
 * The seal as a picture floating behind the text at the page position the shared layout gives it
 * (GB/T 9704 7.3.5.1: centred on the date, pressing on 署名 and date), so DOCX and PDF put it in the same place.
 */
function sealRun(docx: Docx, placed: Pick<LaidSeal, 'png' | 'diameter' | 'centerX' | 'centerY'>): ImageRun {
  const { HorizontalPositionRelativeFrom, TextWrappingType, VerticalPositionRelativeFrom } = docx;
  const sizePx = Math.round(placed.diameter * PX_PER_PT);
  return new docx.ImageRun({
    type: 'png',
    data: placed.png,
    transformation: { width: sizePx, height: sizePx },
    // The letter's only drawing: a fixed id (docx would take the next of a process-wide counter).
    altText: { id: '1', name: '印章', description: '印章', title: '印章' },
    floating: {
      horizontalPosition: {
        relative: HorizontalPositionRelativeFrom.PAGE,
        offset: Math.round((placed.centerX - placed.diameter / 2) * EMU_PER_PT),
      },
      verticalPosition: {
        relative: VerticalPositionRelativeFrom.PAGE,
        offset: Math.round((placed.centerY - placed.diameter / 2) * EMU_PER_PT),
      },
      behindDocument: true,
      allowOverlap: true,
      lockAnchor: true,
      wrap: { type: TextWrappingType.NONE },
    },
  });
}

const HYPERLINK_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink';
const DOCUMENT_RELS = 'word/_rels/document.xml.rels';

/** A run's text cut into plain pieces and URLs (each URL becomes a hyperlink of one run, its text untouched). */
function textPieces(text: string): { text: string; url: boolean }[] {
  const pieces: { text: string; url: boolean }[] = [];
  let last = 0;
  for (const span of urlSpans(text)) {
    if (span.start > last) pieces.push({ text: text.slice(last, span.start), url: false });
    pieces.push({ text: span.url, url: true });
    last = span.end;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), url: false });
  return pieces;
}

/** The letter's hyperlink targets, each with its relationship id in document.xml.rels. */
class Hyperlinks {
  readonly ids = new Map<string, string>();

  idOf(url: string): string {
    let id = this.ids.get(url);
    if (!id) {
      id = `rIdLink${this.ids.size + 1}`;
      this.ids.set(url, id);
    }
    return id;
  }

  /** document.xml.rels with an external relationship per target, and the QR codes' pictures (`images`: ids and media paths). */
  relsXml(skeletonRels: string, images: readonly [string, string][] = []): string {
    const added = [...this.ids].map(
      ([url, id]) => `<Relationship Id="${id}" Type="${HYPERLINK_TYPE}" Target="${escapeXml(url)}" TargetMode="External"/>`,
    );
    for (const [id, target] of images) added.push(`<Relationship Id="${id}" Type="${IMAGE_RELATIONSHIP}" Target="${target}"/>`);
    return skeletonRels.replace('</Relationships>', `${added.join('')}</Relationships>`);
  }
}

/**
 * The parts of a letter's package that do not depend on its text — styles (fonts, size, tracking, zh-CN),
 * settings, numbering, theme, relationships, content types, font table, the seal's media — made once per
 * layout and seal by the docx package and deflated once, plus the document part's root element and section
 * properties and the seal's drawing, between which each letter's paragraphs are written.
 */
const skeletons = new Map<string, Promise<DocxSkeleton>>();

const PROBE_TEXT = 'hazard-notice-probe';

/** What a skeleton depends on: the layout, the letter's language and its seal. */
export interface SkeletonInput {
  layout: PageLayout;
  language: string;
  seal?: SealImage;
}

/** A seal PNG's hash, once per image (the same bytes serve every letter of a bureau). */
const sealHashes = new WeakMap<Uint8Array, string>();

function skeletonKey({ layout, language, seal }: SkeletonInput): string {
  let sealKey = '';
  if (seal) {
    let hash = sealHashes.get(seal.png);
    if (hash === undefined) sealHashes.set(seal.png, (hash = crypto.createHash('sha1').update(seal.png).digest('hex')));
    sealKey = `${seal.diameterMm}:${hash}`;
  }
  return `${JSON.stringify(layout)}|${language}|${sealKey}`;
}

/** Packs the skeleton's document with the docx package and takes it apart. */
async function packSkeleton({ layout, language, seal }: SkeletonInput): Promise<RawSkeleton> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a skeleton must be packed (start-up time)
  const docx = require('docx') as Docx;
  const { Document, DocumentGridType, LineRuleType, Packer, Paragraph: DocxParagraph, TextRun } = docx;
  const geometry = docxPageGeometry(layout);
  const { body, title } = layout.fonts;
  const probe = seal
    ? sealRun(docx, { png: seal.png, diameter: seal.diameterMm * (72 / 25.4), centerX: 0, centerY: 0 })
    : new TextRun(PROBE_TEXT);
  const file = new Document({
    styles: {
      default: {
        document: {
          run: {
            font: { eastAsia: body.docxEastAsia, ascii: body.docxAscii, hAnsi: body.docxAscii },
            size: body.sizePt * 2,
            characterSpacing: geometry.bodyCharacterSpacing,
            language: { value: 'en-US', eastAsia: language },
          },
          paragraph: {
            spacing: { line: geometry.linePitch, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
          },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: geometry.pageWidth, height: geometry.pageHeight },
            margin: {
              top: geometry.marginTop,
              bottom: geometry.marginBottom,
              left: geometry.marginLeft,
              right: geometry.marginRight,
              header: HEADER_DISTANCE_TWIPS,
              footer: FOOTER_DISTANCE_TWIPS,
              gutter: 0,
            },
          },
          grid: { type: DocumentGridType.LINES, linePitch: geometry.linePitch },
        },
        children: [new DocxParagraph({ children: [probe] })],
      },
    ],
  });
  const packed = await Packer.pack(file, 'uint8array', false, [
    { path: 'word/fontTable.xml', data: fontTableXml([body.docxEastAsia, title.docxEastAsia, body.docxAscii, title.docxAscii]) },
  ]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- fflate only when a skeleton must be packed
  const { strFromU8, unzipSync } = require('fflate') as typeof import('fflate');
  const parts = unzipSync(packed);
  const documentXml = strFromU8(parts['word/document.xml']);
  delete parts['word/document.xml'];
  delete parts['docProps/core.xml'];
  const bodyStart = documentXml.indexOf('<w:body>') + '<w:body>'.length;
  const tailStart = documentXml.indexOf('<w:sectPr');
  const probeParagraph = documentXml.slice(bodyStart, tailStart);
  const drawing = /<w:r><w:drawing>[\s\S]*<\/w:drawing><\/w:r>/.exec(probeParagraph);
  if (bodyStart < '<w:body>'.length || tailStart < 0 || (seal ? !drawing : !probeParagraph.includes(PROBE_TEXT))) {
    throw new Error('docx skeleton: unexpected document.xml layout from the docx package');
  }
  const documentRels = strFromU8(parts[DOCUMENT_RELS]);
  if (!documentRels.includes('</Relationships>')) throw new Error('docx skeleton: unexpected document.xml.rels from the docx package');
  const raw: RawSkeleton = {
    parts,
    documentRels,
    documentHead: documentXml.slice(0, bodyStart),
    documentTail: documentXml.slice(tailStart),
  };
  if (drawing) raw.sealDrawing = drawing[0];
  return raw;
}

/** A part's text as UTF-8 bytes. */
const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');

/** The skeleton with its constant parts deflated once, for every letter's zip. */
function deflateSkeleton(raw: RawSkeleton): DocxSkeleton {
  const sectPr = /<w:sectPr[\s\S]*<\/w:sectPr>/.exec(raw.documentTail)?.[0];
  if (!sectPr || !/w:linePitch="\d+"/.test(sectPr)) throw new Error('docx skeleton: no section properties with a line pitch');
  return {
    ...raw,
    sectPr,
    parts: Object.fromEntries(Object.entries(raw.parts).map(([path, bytes]) => [path, deflatePart(bytes)])),
  };
}

let prebuilt: Map<string, DocxSkeleton> | undefined | null = null;

function skeletonFor(doc: LetterDocument): Promise<DocxSkeleton> {
  const input = { layout: doc.layout, language: doc.meta.language, seal: doc.seal };
  const key = skeletonKey(input);
  let skeleton = skeletons.get(key);
  if (!skeleton) {
    if (skeletons.size >= 32) skeletons.clear(); // a few layouts and seals per process; never unbounded
    if (prebuilt === null) prebuilt = readPrebuiltSkeletons();
    const ready = prebuilt?.get(key);
    skeleton = ready ? Promise.resolve(ready) : packSkeleton(input).then(deflateSkeleton);
    skeletons.set(key, skeleton);
  }
  return skeleton;
}

/** Packs the skeletons of these inputs and writes them as the prebuilt image (`npm run build`). */
export async function prebuildSkeletons(inputs: readonly SkeletonInput[], file?: string): Promise<number> {
  const ready: Record<string, DocxSkeleton> = {};
  for (const input of inputs) ready[skeletonKey(input)] ??= deflateSkeleton(await packSkeleton(input));
  writePrebuiltSkeletons(ready, file);
  return Object.keys(ready).length;
}

/** The seal's drawing at this letter's position (the skeleton's offsets are 0). */
function placedSealDrawing(drawing: string, placed: LaidSeal): string {
  const offsets = [placed.centerX - placed.diameter / 2, placed.centerY - placed.diameter / 2].map((pt) => Math.round(pt * EMU_PER_PT));
  let n = 0;
  const out = drawing.replace(/<wp:posOffset>-?\d+<\/wp:posOffset>/g, () => `<wp:posOffset>${offsets[n++]}</wp:posOffset>`);
  if (n !== 2) throw new Error(`docx skeleton: expected 2 seal offsets, found ${n}`);
  return out;
}

/**
 * One paragraph. Automatic spacing between CJK and Latin text (autoSpaceDE) and digits (autoSpaceDN) is off:
 * our PDF sets neither, and Word/WPS would otherwise widen 第48号 and shift line breaks (LibreOffice 7.4
 * ignores both). Word and WPS use firstLineChars for the indent (2 characters whatever the font);
 * LibreOffice 7.4 uses the twips.
 */
function paragraphXml(
  doc: LetterDocument,
  p: Paragraph,
  links: Hyperlinks,
  rightTwips: number,
  spaceBeforeLines: number,
  seal: string,
  geometry: DocxPageGeometry,
): string {
  const { title } = doc.layout.fonts;
  const isTitle = p.role === 'title';
  const line = isTitle ? geometry.linePitch * doc.layout.titleLineSpan : geometry.linePitch;
  const firstLineTwips = Math.round(p.indentChars * gridOf(doc.layout).charPitch * TWIPS_PER_PT);
  const ind =
    (p.indentChars > 0 ? ` w:firstLine="${firstLineTwips}" w:firstLineChars="${p.indentChars * 100}"` : '') +
    (rightTwips > 0 ? ` w:right="${rightTwips}"` : '');
  const fontXml = isTitle
    ? `<w:rFonts w:ascii="${escapeXml(title.docxAscii)}" w:eastAsia="${escapeXml(title.docxEastAsia)}" ` +
      `w:hAnsi="${escapeXml(title.docxAscii)}"/><w:sz w:val="${title.sizePt * 2}"/><w:szCs w:val="${title.sizePt * 2}"/>`
    : p.role === 'annexLabel'
      ? ANNEX_LABEL_FONT
      : '';
  const { wordWrap, runs } = runsXml(p.runs, fontXml, links);
  return (
    `<w:p><w:pPr>${wordWrap}<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>` +
    `<w:spacing w:after="0" w:before="${spaceBeforeLines * geometry.linePitch}" w:line="${line}" w:lineRule="exact"/>` +
    `<w:ind${ind}/>` +
    `<w:jc w:val="${JC[p.align]}"/></w:pPr>${seal}${runs}</w:p>`
  );
}

/** GB/T 9704 8: the annex label (“附件1”) in 3号黑体, as office machines name it (the PDF uses the title's bold face). */
const ANNEX_LABEL_FONT = '<w:rFonts w:ascii="黑体" w:eastAsia="黑体" w:hAnsi="黑体"/>';

/** A paragraph's runs, and the wordWrap its URLs need. */
function runsXml(textRuns: readonly Run[], fontXml: string, links: Hyperlinks): { wordWrap: string; runs: string } {
  // A URL is a hyperlink holding one run of exactly its characters; where it breaks across lines is the word processor's.
  // wordWrap 0 lets Word and WPS break it at the line end, as the PDF does, rather than push it whole to the next line
  // and spread the Chinese before it (LibreOffice 7.4 ignores it and breaks after a slash).
  let wordWrap = '';
  const runs = textRuns.flatMap((r) => {
    const rPr = fontXml + (r.underline ? '<w:u w:val="single"/>' : '');
    return textPieces(r.text).map((piece) => {
      const run = `<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${escapeXml(piece.text)}</w:t></w:r>`;
      if (!piece.url) return run;
      wordWrap = '<w:wordWrap w:val="0"/>';
      return `<w:hyperlink r:id="${links.idOf(piece.text)}" w:history="1">${run}</w:hyperlink>`;
    });
  });
  return { wordWrap, runs: runs.join('') };
}

const RULE = `w:val="single" w:sz="${Math.round(RULE_WIDTH_PT * 8)}" w:space="0" w:color="000000"`;

/**
 * The page's ruled form as a Word table: columns at the cells' grid boundaries, each row at least as tall as the shared
 * layout made it, each cell's text lines a paragraph each on the grid pitch, centred vertically; single rules as the PDF.
 */
function tableXml(doc: LetterDocument, laid: LaidPage, geometry: DocxPageGeometry, links: Hyperlinks): string {
  const table = doc.table!;
  const pitch = gridOf(doc.layout).charPitch * TWIPS_PER_PT;
  const edgesOf = (cells: readonly { widthChars: number }[]) => {
    let chars = 0;
    return cells.map((c) => Math.round((chars += c.widthChars) * pitch));
  };
  const edges = [...new Set(table.rows.flatMap((r) => edgesOf(r.cells)))].sort((a, b) => a - b);
  const cols = edges.map((e, i) => e - (i === 0 ? 0 : edges[i - 1]));
  const padding = Math.round(CELL_PADDING_CHARS * pitch);
  const borders = ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((side) => `<w:${side} ${RULE}/>`).join('');
  let xml =
    `<w:tbl><w:tblPr><w:tblW w:w="${edges[edges.length - 1]}" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/>` +
    `<w:tblBorders>${borders}</w:tblBorders><w:tblLayout w:type="fixed"/>` +
    `<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="${padding}" w:type="dxa"/>` +
    `<w:bottom w:w="0" w:type="dxa"/><w:right w:w="${padding}" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr>` +
    `<w:tblGrid>${cols.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`;
  table.rows.forEach((row, ri) => {
    const height = Math.round(laid.table!.rowLines[ri] * geometry.linePitch);
    xml += `<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="${height}" w:hRule="atLeast"/></w:trPr>`;
    let start = 0;
    edgesOf(row.cells).forEach((end, ci) => {
      const cell = row.cells[ci];
      const span = edges.indexOf(end) - (start === 0 ? -1 : edges.indexOf(start));
      const lines = cell.lines.length > 0 ? cell.lines : [[]];
      const paragraphs = lines.map((runs) => {
        const { wordWrap, runs: runXml } = runsXml(runs, '', links);
        return (
          `<w:p><w:pPr>${wordWrap}<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>` +
          `<w:spacing w:after="0" w:before="0" w:line="${geometry.linePitch}" w:lineRule="exact"/><w:ind/>` +
          `<w:jc w:val="${JC[cell.align]}"/></w:pPr>${runXml}</w:p>`
        );
      });
      xml +=
        `<w:tc><w:tcPr><w:tcW w:w="${end - start}" w:type="dxa"/>${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ''}` +
        `<w:vAlign w:val="center"/></w:tcPr>${paragraphs.join('')}</w:tc>`;
      start = end;
    });
    xml += '</w:tr>';
  });
  // Word needs a paragraph after a table; a 1 pt one, so a form that fills the page does not spill onto another.
  const spacing = '<w:spacing w:after="0" w:before="0" w:line="20" w:lineRule="exact"/>';
  return `${xml}</w:tbl><w:p><w:pPr>${spacing}<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>`;
}

/**
 * Renders one letter as .docx bytes; the same document always gives the same bytes. The letter goes through the
 * shared layout first, so it fails as the PDF does: HazardNoticeError E_LAYOUT_OVERFLOW (more than one page),
 * E_GLYPH_MISSING (a character no bundled face has).
 */
export async function renderDocx(letter: LetterDocument, options: RenderDocxOptions = {}): Promise<Uint8Array> {
  const laid = options.laid ?? layoutDocument(letter, options.fonts ?? loadFontSet(defaultFontsDir(), letter.layout));
  const parts = [{ document: letter, page: laid }, ...(options.more ?? [])].map(({ document, page }) =>
    // The grid the layout chose (tighter than the template's when the page needed more lines).
    page.linesPerPage === document.layout.linesPerPage
      ? { doc: document, laid: page }
      : { doc: { ...document, layout: { ...document.layout, linesPerPage: page.linesPerPage } }, laid: page },
  );
  const doc = parts[0].doc;
  const skeleton = await skeletonFor(doc);
  const links = new Hyperlinks();
  // QR codes on the letter's page: pictures (drawing ids after the seal's 1) and captions, anchored with the seal.
  const qrCodes = parts[0].laid.qrCodes;
  const images: [string, string][] = qrCodes.map((_, i) => [`rIdQr${i + 1}`, `media/qr${i + 1}.png`]);
  const qrXml = qrCodes.map((qr, i) => qrDrawingXml(qr, images[i][0], i + 2)).join('');
  const media = Object.fromEntries(qrCodes.map((qr, i) => [`word/${images[i][1]}`, qrPngPart(qr)]));
  /** Section properties with this page's grid (pages differ only in their line pitch). */
  const withPitch = (xml: string, geometry: DocxPageGeometry) => xml.replace(/w:linePitch="\d+"/, `w:linePitch="${geometry.linePitch}"`);
  let body = '';
  parts.forEach((part, pi) => {
    const geometry = docxPageGeometry(part.doc.layout);
    const indents = rightIndentsTwips(part.doc, part.laid);
    // The seal is anchored in the date paragraph (or the 署名 when there is no date); its position is page-absolute.
    const dateIndex = part.doc.paragraphs.findIndex((p) => p.role === 'date');
    const sealParagraph = dateIndex >= 0 ? dateIndex : part.doc.paragraphs.findIndex((p) => p.role === 'signature');
    const blocks = part.doc.paragraphs.map((p, i) => {
      if (pi > 0 || i !== sealParagraph) return paragraphXml(part.doc, p, links, indents[i], part.laid.spaceBeforeLines[i], '', geometry);
      const seal = part.laid.seal && skeleton.sealDrawing ? placedSealDrawing(skeleton.sealDrawing, part.laid.seal) : '';
      return paragraphXml(part.doc, p, links, indents[i], part.laid.spaceBeforeLines[i], seal + qrXml, geometry);
    });
    if (part.doc.table) blocks.push(tableXml(part.doc, part.laid, geometry, links));
    if (pi < parts.length - 1) {
      // Each page its own section (its own grid), ended in its last paragraph's own properties: the next page is new.
      // That is a paragraph's first </w:pPr> (a QR caption's text box in it holds paragraphs too), or after a table
      // the last one (the paragraph that follows the table).
      const last = blocks.length - 1;
      const end = part.doc.table ? blocks[last].lastIndexOf('</w:pPr>') : blocks[last].indexOf('</w:pPr>');
      blocks[last] = blocks[last].slice(0, end) + withPitch(skeleton.sectPr, geometry) + blocks[last].slice(end);
    }
    body += blocks.join('');
  });
  const lastGeometry = docxPageGeometry(parts[parts.length - 1].doc.layout);
  const tail = parts.length > 1 ? withPitch(skeleton.documentTail, lastGeometry) : skeleton.documentTail;
  const rels = links.ids.size > 0 || images.length > 0 ? links.relsXml(skeleton.documentRels, images) : undefined;
  return zipDeterministic(
    {
      ...skeleton.parts,
      ...media,
      ...(rels ? { [DOCUMENT_RELS]: deflatePart(utf8(rels)) } : {}),
      'word/document.xml': deflatePart(utf8(skeleton.documentHead + body + tail)),
      'docProps/core.xml': deflatePart(utf8(corePropertiesXml(doc.meta))),
    },
    doc.meta.date,
  );
}
