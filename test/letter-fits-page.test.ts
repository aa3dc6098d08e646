// The default template's worst case fits one A4 page: a 100-character name, a document number, and the
// longest hazard and disease names the knowledge base can print.
import JSZip from 'jszip';
import { loadKnowledgeBase } from '../src/catalog/load';
import { docxPageGeometry } from '../src/render/docx/page-geometry';
import { renderDocx } from '../src/render/docx/render-docx';
import { buildLetterDocument, loadTemplate } from '../src/letter/template';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import { layoutDocument } from '../src/render/layout/layout';
import { sampleLetterData } from './fixtures/sample-letter-data';

test('100-character name, document number and the longest hazards and diseases fit one page (tighter grid if needed)', async () => {
  const kb = loadKnowledgeBase();
  const template = loadTemplate();
  const fonts = loadFontSet(defaultFontsDir(), template.layout);
  const byLength = <T>(items: T[], name: (t: T) => string) => [...items].sort((a, b) => name(b).length - name(a).length);
  const hazards = byLength(kb.allHazards(), (h) => h.shortName).slice(0, template.maxHazards);
  const diseases = byLength(kb.diseaseCatalogueOn('2026-11-29').diseases, (d) => d.name).slice(0, template.maxDiseases);
  const data = sampleLetterData({
    docNumber: '三江卫职告〔2026〕10000号',
    hazards: hazards.map((h) => ({ id: h.id, name: h.shortName, category: h.category, origin: 'industry' as const })),
    diseases: diseases.map((d) => ({ name: d.name, category: d.category })),
  });
  data.employer.name = '广西柳州'.padEnd(96, '融昇机械制造') + '有限公司';
  expect([...data.employer.name].length).toBe(100);
  const doc = buildLetterDocument(template, data);
  const page = layoutDocument(doc, fonts);
  expect(page.linesPerPage).toBeGreaterThan(template.layout.linesPerPage);
  expect(page.linesPerPage).toBeLessThanOrEqual(template.layout.maxLinesPerPage);
  expect(page.gridLinesUsed).toBeLessThanOrEqual(page.linesPerPage);
  // The Word file is set on the same tighter grid.
  const xml = await (await JSZip.loadAsync(await renderDocx(doc, { fonts, laid: page }))).file('word/document.xml')!.async('string');
  const pitch = Number(/<w:docGrid w:type="lines" w:linePitch="(\d+)"/.exec(xml)![1]);
  expect(pitch).toBe(docxPageGeometry({ ...template.layout, linesPerPage: page.linesPerPage }).linePitch);
  expect(pitch).toBeLessThan(docxPageGeometry(template.layout).linePitch);
  // An ordinary letter with a document number keeps the 22 × 28 grid.
  const ordinary = layoutDocument(buildLetterDocument(template, sampleLetterData({ docNumber: '柳城卫职告〔2026〕1号' })), fonts);
  expect(ordinary.linesPerPage).toBe(22);
});
