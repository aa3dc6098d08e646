// The DOCX writer: a LetterDocument → a .docx a clerk can open and edit in Word, WPS or LibreOffice.
import {
  AlignmentType,
  Document,
  DocumentGridType,
  HorizontalPositionRelativeFrom,
  ImageRun,
  LineRuleType,
  Packer,
  Paragraph as DocxParagraph,
  TextRun,
  TextWrappingType,
  UnderlineType,
  VerticalPositionRelativeFrom,
} from 'docx';
import { defaultFontsDir, loadFontSet, type FontSet } from '../layout/fonts';
import { gridOf } from '../layout/grid';
import { layoutDocument, type LaidPage, type LaidSeal } from '../layout/layout';
import type { LetterDocument, Paragraph } from '../../letter/model';
import { corePropertiesXml } from './core-properties';
import { fontTableXml } from './font-table';
import { rezipDeterministic } from './package-zip';
import { docxPageGeometry, type DocxPageGeometry } from './page-geometry';

export interface RenderDocxOptions {
  /** The bundled faces (for measuring the signature block and placing the seal); default: fonts/ of the package. */
  fonts?: FontSet;
}

const TWIPS_PER_PT = 20;
const EMU_PER_PT = 12700;
/** Word's default header and footer distances (1.5 cm, 1.75 cm); the letter has neither. */
const HEADER_DISTANCE_TWIPS = 851;
const FOOTER_DISTANCE_TWIPS = 992;
const PX_PER_PT = 96 / 72;

const ALIGNMENT = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justify: AlignmentType.BOTH,
} as const;

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
function sealRun(placed: LaidSeal): ImageRun {
  const sizePx = Math.round(placed.diameter * PX_PER_PT);
  return new ImageRun({
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

/** Zero-width space: an optional break Word, WPS and LibreOffice honour inside a Latin run. */
const OPTIONAL_BREAK = '\u200B';

/**
 * The paragraph's run texts with an optional break where the shared layout split a Latin run (a URL), so
 * the word processor breaks it where the PDF does instead of only after a slash.
 */
function runTextsWithBreaks(p: Paragraph, paragraphIndex: number, laid: LaidPage): string[] {
  const breaks = new Set(laid.lines.filter((l) => l.paragraph === paragraphIndex && l.splitsLatinRun).map((l) => l.start));
  let offset = 0;
  return p.runs.map((r) => {
    let text = '';
    for (const ch of r.text) {
      if (breaks.has(offset)) text += OPTIONAL_BREAK;
      text += ch;
      offset++;
    }
    return text;
  });
}

function docxParagraph(
  doc: LetterDocument,
  p: Paragraph,
  texts: string[],
  rightTwips: number,
  seal: ImageRun | undefined,
  geometry: DocxPageGeometry,
): DocxParagraph {
  const { title } = doc.layout.fonts;
  const firstLineTwips = Math.round(p.indentChars * gridOf(doc.layout).charPitch * TWIPS_PER_PT);
  const isTitle = p.role === 'title';
  const lineHeight = isTitle ? geometry.linePitch * doc.layout.titleLineSpan : geometry.linePitch;
  const runs = p.runs.map(
    (r, i) =>
      new TextRun({
        text: texts[i],
        ...(isTitle ? { font: { eastAsia: title.docxEastAsia, ascii: title.docxAscii, hAnsi: title.docxAscii }, size: title.sizePt * 2 } : {}),
        ...(r.underline ? { underline: { type: UnderlineType.SINGLE } } : {}),
      }),
  );
  return new DocxParagraph({
    alignment: ALIGNMENT[p.align],
    spacing: { line: lineHeight, lineRule: LineRuleType.EXACT, before: p.spaceBeforeLines * geometry.linePitch, after: 0 },
    indent: {
      // Word and WPS use firstLineChars (2 characters whatever the font); LibreOffice 7.4 uses the twips.
      ...(p.indentChars > 0 ? { firstLine: firstLineTwips, firstLineChars: p.indentChars * 100 } : {}),
      ...(rightTwips > 0 ? { right: rightTwips } : {}),
    },
    children: seal ? [seal, ...runs] : runs,
  });
}

/** Every paragraph's properties start with its spacing (always set below). */
const PPR_START = '<w:pPr><w:spacing ';

/**
 * Turns off the automatic space between CJK and Latin text (autoSpaceDE) and between CJK and digits
 * (autoSpaceDN): our PDF sets neither, and Word/WPS would otherwise widen 第48号 and shift line breaks.
 * docx writes only autoSpaceDN, and after w:jc where the schema does not allow it (Word is strict about
 * element order), so both are inserted here at their schema place, before w:spacing.
 * (LibreOffice 7.4 ignores both settings on import and always adds the space.)
 */
function withoutAutoSpace(paragraphCount: number) {
  return (documentXml: string): string => {
    const parts = documentXml.split(PPR_START);
    if (parts.length - 1 !== paragraphCount) {
      throw new Error(`expected ${paragraphCount} paragraphs starting with ${PPR_START}, found ${parts.length - 1}`);
    }
    return parts.join('<w:pPr><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:spacing ');
  };
}

/**
 * Renders one letter as .docx bytes; the same document always gives the same bytes. The letter goes through the
 * shared layout first, so it fails as the PDF does: HazardNoticeError E_LAYOUT_OVERFLOW (more than one page),
 * E_GLYPH_MISSING (a character no bundled face has).
 */
export async function renderDocx(doc: LetterDocument, options: RenderDocxOptions = {}): Promise<Uint8Array> {
  const { layout, meta } = doc;
  const geometry = docxPageGeometry(layout);
  const { body, title } = layout.fonts;
  const fonts = options.fonts ?? loadFontSet(defaultFontsDir(), layout);
  const laid = layoutDocument(doc, fonts);
  const indents = rightIndentsTwips(doc, laid);
  // The seal is anchored in the date paragraph (or the 署名 when there is no date); its position is page-absolute.
  const dateIndex = doc.paragraphs.findIndex((p) => p.role === 'date');
  const sealParagraph = dateIndex >= 0 ? dateIndex : doc.paragraphs.findIndex((p) => p.role === 'signature');
  // Core properties (title, creator, dates…) are written by corePropertiesXml below, not by docx (which stamps now).
  const file = new Document({
    styles: {
      default: {
        document: {
          run: {
            font: { eastAsia: body.docxEastAsia, ascii: body.docxAscii, hAnsi: body.docxAscii },
            size: body.sizePt * 2,
            characterSpacing: geometry.bodyCharacterSpacing,
            language: { value: 'en-US', eastAsia: meta.language },
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
        children: doc.paragraphs.map((p, i) =>
          docxParagraph(doc, p, runTextsWithBreaks(p, i, laid), indents[i], laid.seal && i === sealParagraph ? sealRun(laid.seal) : undefined, geometry),
        ),
      },
    ],
  });
  const packed = await Packer.pack(file, 'uint8array', false, [
    { path: 'docProps/core.xml', data: corePropertiesXml(meta) },
    { path: 'word/fontTable.xml', data: fontTableXml([body.docxEastAsia, title.docxEastAsia, body.docxAscii, title.docxAscii]) },
  ]);
  return rezipDeterministic(packed, meta.date, { 'word/document.xml': withoutAutoSpace(doc.paragraphs.length) });
}
