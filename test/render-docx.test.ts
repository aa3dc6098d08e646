// The DOCX writer: parts parsed as XML and checked for content, formatting, validity and determinism.
import { renderDocx } from '../src/render/docx/render-docx';
import { docxPageGeometry } from '../src/render/docx/page-geometry';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import { gridOf } from '../src/render/layout/grid';
import type { LetterDocument } from '../src/letter/model';
import { sampleLetterDocument, defaultLayout } from './fixtures/sample-letter-document';
import { findAll, findOne, paragraphTexts, part, readDocx, type DocxParts, type XmlElement } from './fixtures/docx/read-docx';
import { sealPng } from './fixtures/docx/seal';

const fonts = loadFontSet(defaultFontsDir(), defaultLayout);
const render = (doc: LetterDocument) => renderDocx(doc, { fonts });

let sample: DocxParts;
let sampleBytes: Uint8Array;
let document: XmlElement;

beforeAll(async () => {
  sampleBytes = await render(sampleLetterDocument());
  sample = await readDocx(sampleBytes);
  document = part(sample, 'word/document.xml');
});

/** The w:r elements of a w:p that carry text, as [text, underlined]. */
function runsOf(p: XmlElement): [string, boolean][] {
  return findAll(p, 'w:r')
    .filter((r) => findAll(r, 'w:t').length > 0)
    .map((r) => [findOne(r, 'w:t').text, findAll(r, 'w:u').some((u) => u.attrs['w:val'] === 'single')]);
}

describe('package', () => {
  test('every XML part is well-formed and listed in [Content_Types].xml', () => {
    const types = part(sample, '[Content_Types].xml');
    const overrides = new Set(findAll(types, 'Override').map((o) => o.attrs.PartName));
    const defaults = new Set(findAll(types, 'Default').map((d) => d.attrs.Extension));
    const paths = Object.keys(sample.zip.files).filter((p) => !sample.zip.files[p].dir);
    expect(paths.slice(0, 3)).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
    for (const p of paths) {
      if (p === '[Content_Types].xml') continue;
      const ext = p.slice(p.lastIndexOf('.') + 1);
      expect(overrides.has(`/${p}`) || defaults.has(ext)).toBe(true);
    }
    expect(sample.xml.size).toBe(paths.filter((p) => /\.(xml|rels)$/.test(p)).length);
  });

  test('every internal relationship points at a part in the package, ids unique', () => {
    for (const [path, rels] of sample.xml) {
      if (!path.endsWith('.rels')) continue;
      const base = path.replace(/_rels\/[^/]*\.rels$/, '');
      const ids = findAll(rels, 'Relationship').map((r) => r.attrs.Id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const r of findAll(rels, 'Relationship')) {
        if (r.attrs.TargetMode === 'External') continue;
        const target = r.attrs.Target.startsWith('/') ? r.attrs.Target.slice(1) : base + r.attrs.Target;
        expect(sample.zip.files[target]).toBeDefined();
      }
    }
  });

  test('two renders a second apart give identical bytes, with fixed zip entry dates', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    const again = await render(sampleLetterDocument());
    expect(Buffer.from(again).equals(Buffer.from(sampleBytes))).toBe(true);
    for (const entry of Object.values(sample.zip.files)) expect(entry.date.toISOString()).toBe('2026-11-29T00:00:00.000Z');
  });

  test('the bytes do not depend on the time zone', async () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Shanghai';
      const shanghai = await render(sampleLetterDocument());
      process.env.TZ = 'America/Los_Angeles';
      const losAngeles = await render(sampleLetterDocument());
      expect(Buffer.from(shanghai).equals(Buffer.from(losAngeles))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('text and runs', () => {
  test('the fields are present as text', () => {
    const text = paragraphTexts(document).join('\n');
    for (const field of [
      '柳州市融昇家具制造有限公司',
      '制造业',
      '家具制造业',
      '木质家具制造',
      '木粉尘',
      '苯',
      '噪声',
      '苯所致白血病',
      '职业性噪声聋',
      '柳城县卫生健康局',
      '2026年11月29日',
    ]) {
      expect(text).toContain(field);
    }
    // Exactly the model's text: no character added (no zero-width or other invisible break hints).
    expect(paragraphTexts(document)).toEqual(sampleLetterDocument().paragraphs.map((p) => p.runs.map((r) => r.text).join('')));
    expect(paragraphTexts(document).join('')).not.toMatch(/[\u00AD\u200B-\u200F\u2060\uFEFF]/);
  });

  test('each URL is a hyperlink: one run of exactly its characters, its target an external relationship', () => {
    const rels = findAll(part(sample, 'word/_rels/document.xml.rels'), 'Relationship');
    const links = findAll(document, 'w:hyperlink').map((h) => {
      const runs = findAll(h, 'w:r');
      expect(runs).toHaveLength(1);
      const rel = rels.filter((r) => r.attrs.Id === h.attrs['r:id']);
      expect(rel).toHaveLength(1);
      expect(rel[0].attrs.Type).toBe('http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink');
      expect(rel[0].attrs.TargetMode).toBe('External');
      return [findOne(runs[0], 'w:t').text, rel[0].attrs.Target];
    });
    expect(links).toEqual([
      ['http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml', 'http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml'],
      ['https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login', 'https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login'],
    ]);
    // The skeleton's own relationships (styles, settings, …) are all still there.
    expect(rels.filter((r) => !String(r.attrs.Id).startsWith('rIdLink')).length).toBeGreaterThan(0);
  });

  test('a URL ends before trailing punctuation, and a letter without URLs gets no hyperlink', async () => {
    const doc = sampleLetterDocument();
    doc.paragraphs[3] = { ...doc.paragraphs[3], runs: [{ text: '网址见 https://example.org/a?b=1&c=2. 其他（https://example.org/x）' }] };
    const xml = part(await readDocx(await render(doc)), 'word/document.xml');
    expect(findAll(xml, 'w:hyperlink').map((h) => findOne(h, 'w:t').text)).toEqual([
      'https://example.org/a?b=1&c=2',
      'https://example.org/x',
      'https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login', // the next paragraph's
    ]);
    const plain = sampleLetterDocument();
    plain.paragraphs = plain.paragraphs.filter((p) => !p.runs.some((r) => r.text.includes('://')));
    const docx = await readDocx(await render(plain));
    expect(findAll(part(docx, 'word/document.xml'), 'w:hyperlink')).toEqual([]);
    expect(findAll(part(docx, 'word/_rels/document.xml.rels'), 'Relationship').some((r) => r.attrs.TargetMode)).toBe(false);
  });

  test('run boundaries as in the model; filled blanks are underlined (w:u single), other runs not', () => {
    const model = sampleLetterDocument();
    const paragraphs = findAll(document, 'w:p');
    // A URL is a run of its own (inside its hyperlink): the model's runs split before each URL.
    const cutAtUrls = (text: string) => text.split(/(?=https?:\/\/)/);
    model.paragraphs.forEach((p, i) => {
      expect(runsOf(paragraphs[i])).toEqual(p.runs.flatMap((r) => cutAtUrls(r.text).map((t) => [t, r.underline === true])));
    });
    const underlined = paragraphs
      .flatMap(runsOf)
      .filter(([, u]) => u)
      .map(([t]) => t);
    expect(underlined).toEqual([
      '柳州市融昇家具制造有限公司',
      '制造业',
      '家具制造业',
      '木质家具制造',
      '木粉尘',
      '苯',
      '噪声',
      '苯中毒',
      '苯所致白血病',
      '职业性噪声聋',
    ]);
  });

  test('rare characters (堃 𠮷) survive in the text and the core properties', async () => {
    const docx = await readDocx(await render(sampleLetterDocument({ employer: '柳州市堃𠮷机械厂' })));
    expect(paragraphTexts(part(docx, 'word/document.xml'))[1]).toBe('柳州市堃𠮷机械厂：');
    expect(findOne(part(docx, 'docProps/core.xml'), 'dc:title').text).toBe('职业病危害项目申报告知单（柳州市堃𠮷机械厂）');
  });

  test('automatic CJK/Latin and CJK/digit spacing is off in every paragraph, in schema order', () => {
    // CT_PPrBase sequence (the part used here): wordWrap, autoSpaceDE, autoSpaceDN, spacing, ind, jc. wordWrap 0
    // (a URL may break at any character, as in the PDF) only in paragraphs holding a hyperlink.
    const order = ['w:autoSpaceDE', 'w:autoSpaceDN', 'w:spacing', 'w:ind', 'w:jc'];
    const wrapped = findAll(document, 'w:p').map((p) => {
      const pPr = findOne(p, 'w:pPr');
      const children = pPr.children.filter((c) => c.name !== 'w:wordWrap');
      expect(children.map((c) => c.name)).toEqual(order);
      expect(children[0].attrs['w:val']).toBe('0');
      expect(children[1].attrs['w:val']).toBe('0');
      const wordWrap = pPr.children.filter((c) => c.name === 'w:wordWrap');
      if (wordWrap.length > 0) expect([pPr.children[0].name, wordWrap[0].attrs['w:val']]).toEqual(['w:wordWrap', '0']);
      return wordWrap.length === 1 && findAll(p, 'w:hyperlink').length > 0;
    });
    expect(wrapped).toEqual([false, false, false, true, true, false, false]);
  });
});

describe('fonts, language, page and grid', () => {
  test('docDefaults: 仿宋_GB2312 + Times New Roman, 16 pt, zh-CN, tracked body runs, exact grid line spacing', () => {
    const defaults = findOne(part(sample, 'word/styles.xml'), 'w:docDefaults');
    const fontsEl = findOne(defaults, 'w:rFonts');
    expect(fontsEl.attrs).toMatchObject({ 'w:eastAsia': '仿宋_GB2312', 'w:ascii': 'Times New Roman', 'w:hAnsi': 'Times New Roman' });
    expect(findOne(defaults, 'w:sz').attrs['w:val']).toBe('32');
    expect(findOne(defaults, 'w:lang').attrs['w:eastAsia']).toBe('zh-CN');
    const rPr = findOne(defaults, 'w:rPr');
    expect(findOne(rPr, 'w:spacing').attrs['w:val']).toBe('-10');
    expect(findOne(findOne(defaults, 'w:pPr'), 'w:spacing').attrs).toMatchObject({ 'w:line': '579', 'w:lineRule': 'exact' });
  });

  test('title: 方正小标宋简体 22 pt, centred, two grid lines high', () => {
    const title = findAll(document, 'w:p')[0];
    expect(findOne(title, 'w:rFonts').attrs['w:eastAsia']).toBe('方正小标宋简体');
    expect(findOne(title, 'w:sz').attrs['w:val']).toBe('44');
    expect(findOne(title, 'w:jc').attrs['w:val']).toBe('center');
    expect(findOne(title, 'w:spacing').attrs).toMatchObject({ 'w:line': '1158', 'w:lineRule': 'exact' });
  });

  test('body justified with a 2-character first-line indent; salutation after one empty line, flush left', () => {
    const [, salutation, body] = findAll(document, 'w:p');
    expect(findOne(body, 'w:jc').attrs['w:val']).toBe('both');
    expect(findOne(body, 'w:ind').attrs).toMatchObject({
      'w:firstLineChars': '200',
      'w:firstLine': String(Math.round(2 * gridOf(defaultLayout).charPitch * 20)),
    });
    expect(findOne(salutation, 'w:jc').attrs['w:val']).toBe('left');
    expect(findOne(salutation, 'w:spacing').attrs['w:before']).toBe('579');
    expect(findOne(salutation, 'w:ind').attrs['w:firstLine']).toBeUndefined();
  });

  test('signature right-indented two grid characters, date right-aligned under it (GB/T 9704 7.3.5.2)', () => {
    const paragraphs = findAll(document, 'w:p');
    const [signature, date] = paragraphs.slice(-2);
    const pitchTwips = gridOf(defaultLayout).charPitch * 20;
    expect(findOne(signature, 'w:jc').attrs['w:val']).toBe('right');
    expect(Number(findOne(signature, 'w:ind').attrs['w:right'])).toBeCloseTo(2 * pitchTwips, -0.5);
    expect(findOne(date, 'w:jc').attrs['w:val']).toBe('right');
    // 柳城县卫生健康局 (8 chars) over 2026年11月29日 (6 chars + 8 digits ≈ 10 chars wide): date first char 2 chars in.
    const dateRight = Number(findOne(date, 'w:ind').attrs['w:right']);
    expect(dateRight / pitchTwips).toBeGreaterThan(-0.01);
    expect(dateRight / pitchTwips).toBeLessThan(2);
  });

  test('A4 page in twips, GB/T 9704 margins (type area 156 × 225 mm), lines-only grid of 22 lines', () => {
    const sectPr = findOne(document, 'w:sectPr');
    expect(findOne(sectPr, 'w:pgSz').attrs).toMatchObject({ 'w:w': '11906', 'w:h': '16838' });
    expect(findOne(sectPr, 'w:pgMar').attrs).toMatchObject({ 'w:top': '2098', 'w:left': '1587', 'w:right': '1474', 'w:bottom': '1984' });
    expect(findOne(sectPr, 'w:docGrid').attrs).toMatchObject({ 'w:type': 'lines', 'w:linePitch': '579' });
    expect(findOne(sectPr, 'w:docGrid').attrs['w:charSpace']).toBeUndefined();
  });

  test('body tracking fits exactly 28 characters a line (Word) with room for run ends dropped by LibreOffice', () => {
    const g = docxPageGeometry(defaultLayout);
    expect(g.textWidth).toBe(8845);
    const advance = 320 + g.bodyCharacterSpacing;
    expect(28 * advance).toBeLessThanOrEqual(g.textWidth);
    expect(29 * advance).toBeGreaterThan(g.textWidth);
    expect((g.textWidth - 28 * advance) / -g.bodyCharacterSpacing).toBeGreaterThanOrEqual(16);
  });

  test('font table: official names with substitutes (altName, GB2312 charset) for Word/WPS', () => {
    const table = part(sample, 'word/fontTable.xml');
    const byName = new Map(findAll(table, 'w:font').map((f) => [f.attrs['w:name'], f]));
    expect([...byName.keys()]).toEqual(['仿宋_GB2312', '仿宋', '方正小标宋简体', '宋体', 'Times New Roman']);
    expect(findOne(byName.get('仿宋_GB2312')!, 'w:altName').attrs['w:val']).toBe('仿宋');
    expect(findOne(byName.get('方正小标宋简体')!, 'w:altName').attrs['w:val']).toBe('宋体');
    for (const name of ['仿宋_GB2312', '仿宋', '方正小标宋简体', '宋体'])
      expect(findOne(byName.get(name)!, 'w:charset').attrs['w:val']).toBe('86');
    expect(findOne(byName.get('Times New Roman')!, 'w:family').attrs['w:val']).toBe('roman');
  });
});

describe('letters the layout refuses', () => {
  test('a letter longer than one page: E_LAYOUT_OVERFLOW, as for the PDF', async () => {
    const hazards = Array.from({ length: 60 }, (_, i) => `危害因素${i + 1}`);
    await expect(render(sampleLetterDocument({ hazards }))).rejects.toMatchObject({ code: 'E_LAYOUT_OVERFLOW' });
  });

  test('a character no bundled face has: E_GLYPH_MISSING', async () => {
    await expect(render(sampleLetterDocument({ employer: '柳州市\uE000公司' }))).rejects.toMatchObject({ code: 'E_GLYPH_MISSING' });
  });
});

describe('core properties', () => {
  test('title, creator, subject, keywords, language; dates are the letter date', () => {
    const core = part(sample, 'docProps/core.xml');
    const text = (name: string) => findOne(core, name).text;
    expect(text('dc:title')).toBe('职业病危害项目申报告知单（柳州市融昇家具制造有限公司）');
    expect(text('dc:creator')).toBe('柳城县卫生健康局');
    expect(text('dc:subject')).toBe('职业病危害项目申报告知');
    expect(text('cp:keywords')).toBe('职业病危害项目申报; 柳州市融昇家具制造有限公司');
    expect(text('dc:language')).toBe('zh-CN');
    expect(text('cp:lastModifiedBy')).toBe('hazard-notice');
    expect(text('dcterms:created')).toBe('2026-11-29T00:00:00Z');
    expect(text('dcterms:modified')).toBe('2026-11-29T00:00:00Z');
  });
});

describe('seal (GB/T 9704 7.3.5.1)', () => {
  test('a floating PNG behind the text, page-positioned over signature and date; date 4 characters in', async () => {
    const docx = await readDocx(await render({ ...sampleLetterDocument(), seal: { png: sealPng(), diameterMm: 42 } }));
    const doc = part(docx, 'word/document.xml');
    const anchors = findAll(doc, 'wp:anchor');
    expect(anchors).toHaveLength(1);
    const anchor = anchors[0];
    expect(anchor.attrs.behindDoc).toBe('1');
    expect(findOne(anchor, 'wp:positionH').attrs.relativeFrom).toBe('page');
    expect(findOne(anchor, 'wp:extent').attrs.cx).toBe(String(Math.round((42 / 25.4) * 96) * 9525)); // 42 mm in whole px
    const x = Number(findOne(findOne(anchor, 'wp:positionH'), 'wp:posOffset').text) / 12700;
    const y = Number(findOne(findOne(anchor, 'wp:positionV'), 'wp:posOffset').text) / 12700;
    const g = gridOf(defaultLayout);
    expect(x).toBeGreaterThan(g.left + g.measure / 2); // right half of the type area, where the signature is
    expect(y).toBeGreaterThan(g.top + 10 * g.linePitch);
    const [signature, date] = findAll(doc, 'w:p').slice(-2);
    expect(findAll(date, 'wp:anchor')).toHaveLength(1);
    // Two empty lines before the 署名 (one in the template), as the PDF's layout: room for the seal below the text.
    const spacing = findOne(signature, 'w:spacing').attrs;
    expect(Number(spacing['w:before'])).toBe(2 * Number(spacing['w:line']));
    expect(Number(findOne(date, 'w:ind').attrs['w:right']) / (g.charPitch * 20)).toBeCloseTo(4, 2);
    const png = Object.keys(docx.zip.files).filter((p) => p.startsWith('word/media/'));
    expect(png).toHaveLength(1);
    const bytes = await docx.zip.files[png[0]].async('uint8array');
    expect(Buffer.from(bytes).equals(Buffer.from(sealPng()))).toBe(true);
    const ids = findAll(doc, 'wp:docPr').map((d) => d.attrs.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a sealed letter renders deterministically too', async () => {
    const sealed = () => render({ ...sampleLetterDocument(), seal: { png: sealPng(), diameterMm: 42 } });
    expect(Buffer.from(await sealed()).equals(Buffer.from(await sealed()))).toBe(true);
  });

  test('no drawing without a seal', () => {
    expect(findAll(document, 'w:drawing')).toHaveLength(0);
    expect(Object.keys(sample.zip.files).some((p) => p.startsWith('word/media/'))).toBe(false);
  });
});
