// The letter set (issue 11): 附件1 (--annex) and 送达回证 (--receipt) as pages of their own after the letter, from their
// own template files; the receipt's ruled form in the PDF and as a Word table; page order; print volumes for duplex;
// the register's re-download with the same pages; the same bytes for the same inputs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { loadTemplate } from '../src/letter/template';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import { renderLetter } from '../src/render/render-letter';
import { Register } from '../src/register/register';
import { SCHEMA_VERSION } from '../src/register/migrations';
import { issueLetter } from '../src/register/issue-letter';
import { loadRegionConfig } from '../src/config/region';
import type { LetterData } from '../src/resolve/letter-data';
import { sampleLetterData } from './fixtures/sample-letter-data';
import { batch, readManifestJson, tempDir, writeCsv } from './fixtures/batch/harness';
import { pdfInfo, pdfText } from './poppler';
import { hasTool } from './tools';

const template = loadTemplate();
const fonts = loadFontSet(defaultFontsDir(), template.layout);
const ADDRESS = '柳城县大埔镇工业园区18号';
const data = (over: Partial<LetterData['employer']> = {}) =>
  sampleLetterData({
    docNumber: '柳城卫职告〔2026〕7号',
    employer: { name: '柳州市融昇家具制造有限公司', uscc: '91450222MA5K0A1B8E', township: '大埔镇', address: ADDRESS, ...over },
  });

/** The text of each page, whitespace removed. */
const pagesOf = (pdf: Uint8Array) =>
  pdfText(pdf)
    .split('\f')
    .slice(0, Number(pdfInfo(pdf).Pages))
    .map((p) => p.replace(/\s+/g, ''));

describe('PDF of a letter set', () => {
  test.each([
    [{}, 1],
    [{ annex: true }, 2],
    [{ receipt: true }, 2],
    [{ annex: true, receipt: true }, 3],
  ])('%j: %i page(s), letter first, annex, then receipt', async (options, pages) => {
    const { pdf } = await renderLetter(template, data(), fonts, ['pdf'], options);
    const text = pagesOf(pdf!.bytes);
    expect(text).toHaveLength(pages);
    expect(text[0]).toContain('职业病危害项目申报告知单');
    if ('annex' in options) expect(text[1]).toMatch(/^附件1用人单位进行职业病危害因素申报依据/);
    if ('receipt' in options) expect(text[pages - 1]).toMatch(/^送达回证/);
  });

  test('附件1 carries the seed’s text: 第十六条, 第七十一条 first paragraph, the 2015 catalogue', async () => {
    const { pdf } = await renderLetter(template, data(), fonts, ['pdf'], { annex: true });
    const annex = pagesOf(pdf!.bytes)[1];
    for (const part of [
      '根据2002年5月1日施行的《中华人民共和国职业病防治法》（2018年修订版）规定：',
      '第十六条：国家建立职业病危害项目申报制度。',
      '应当及时、如实向所在地卫生行政部门申报危害项目，接受监督。',
      '职业病危害项目申报的具体办法由国务院卫生行政部门制定。',
      '第七十一条第一款：用人单位“未按照规定及时、如实向卫生行政部门申报产生职业病危害的项目的”，由卫生行政部门责令限期改正，给予警告，可以并处五万元以上十万元以下的罚款。',
      '职业病危害因素按照国卫疾控发〔2015〕92号《职业病危害因素分类目录》确定。',
    ]) {
      expect(annex).toContain(part);
    }
  });

  test('送达回证: every field, filled from the letter (文书名称, 文号, bureau, employer, address), the rest blank', async () => {
    const { pdf } = await renderLetter(template, data(), fonts, ['pdf'], { receipt: true });
    const receipt = pagesOf(pdf!.bytes)[1];
    expect(receipt).toMatch(/^送达回证/);
    // Row by row (pdftotext reads a two-line cell's neighbours between its lines).
    const rows = [
      '送达文书名称职业病危害项目申报告知单',
      '送达文书文号柳城卫职告〔2026〕7号',
      '送达单位柳城县卫生健康局',
      '受送达人柳州市融昇家具制造有限公司',
      `送达地点${ADDRESS}`,
      '□直接送达□留置送达送达方式□邮寄送达□委托送达',
      '送达时间年月日时分',
      '收件人签名与受送达人或盖章的关系',
      '见证人签名送达人签名',
      '备注',
    ];
    expect(receipt).toBe(`送达回证${rows.join('')}`);
    // No address known: 送达地点 left blank to fill by hand.
    const noAddress = await renderLetter(template, data({ address: undefined }), fonts, ['pdf'], { receipt: true });
    expect(pagesOf(noAddress.pdf!.bytes)[1]).toContain('受送达人柳州市融昇家具制造有限公司送达地点□直接送达');
  });

  test('a long name and address wrap inside their cells and the receipt stays on one page', async () => {
    const name = '柳州市柳城县大埔镇某某某某某某某某某某某某某某家具制造有限责任公司第二分公司';
    const address = '广西壮族自治区柳州市柳城县大埔镇某某工业园区某某路某某号某某某某某某厂区第三栋一楼东侧';
    const { pdf } = await renderLetter(template, data({ name, address }), fonts, ['pdf'], { receipt: true });
    const pages = pagesOf(pdf!.bytes);
    expect(pages).toHaveLength(2);
    // Wrapped over two lines each, the labels read between them: without the labels, name and address follow each other.
    expect(pages[1].replace('受送达人', '').replace('送达地点', '')).toContain(`${name}${address}□直接送达`);
  });

  test('the same inputs give the same bytes', async () => {
    const a = await renderLetter(template, data(), fonts, ['pdf', 'docx'], { annex: true, receipt: true });
    const b = await renderLetter(template, data(), fonts, ['pdf', 'docx'], { annex: true, receipt: true });
    expect(Buffer.compare(a.pdf!.bytes, b.pdf!.bytes)).toBe(0);
    expect(Buffer.compare(a.docx!, b.docx!)).toBe(0);
  });
});

describe('DOCX of a letter set', () => {
  const documentXml = async (options: object) => {
    const { docx } = await renderLetter(template, data(), fonts, ['docx'], options);
    return strFromU8(unzipSync(docx!)['word/document.xml']);
  };

  test('the receipt is a real Word table: 10 rows, label and blank cells, ruled, after the letter in a section of its own', async () => {
    const xml = await documentXml({ annex: true, receipt: true });
    expect(xml.match(/<w:tbl>/g)).toHaveLength(1);
    const table = /<w:tbl>[\s\S]*<\/w:tbl>/.exec(xml)![0];
    expect(table.match(/<w:tr>/g)).toHaveLength(10);
    expect(table).toContain('<w:tblBorders><w:top w:val="single" w:sz="6"');
    expect(table).toContain('<w:gridSpan w:val="3"/>'); // a 21-character value cell over the 4-column grid
    const cellTexts = [...table.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((m) =>
      [...m[1].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('|'),
    );
    expect(cellTexts).toEqual([
      '送达文书名称', '职业病危害项目申报告知单', '送达文书文号', '柳城卫职告〔2026〕7号', '送达单位', '柳城县卫生健康局',
      '受送达人', '柳州市融昇家具制造有限公司', '送达地点', ADDRESS, '送达方式', '□直接送达　　　□留置送达|□邮寄送达　　　□委托送达',
      '送达时间', '年　　月　　日　　时　　分', '收件人签名|或盖章', '', '与受送达人|的关系', '', '见证人签名', '', '送达人签名', '',
      '备注', '',
    ]); // prettier-ignore
    // Three pages, three sections: two breaks inside the body, the last section's properties at its end.
    expect(xml.match(/<w:sectPr/g)).toHaveLength(3);
    expect(xml.indexOf('附件1')).toBeGreaterThan(xml.indexOf('职业病危害项目申报网址'));
    expect(xml.indexOf('送达回证')).toBeGreaterThan(xml.indexOf('附件1'));
    expect(xml).toContain('<w:rFonts w:ascii="黑体" w:eastAsia="黑体" w:hAnsi="黑体"/>');
  });

  test('a letter alone is one section, as before', async () => {
    const xml = await documentXml({});
    expect(xml.match(/<w:sectPr/g)).toHaveLength(1);
    expect(xml).not.toContain('<w:tbl>');
  });
});

const describeLo = hasTool('soffice', ['--version'], 'libreoffice-writer-nogui') ? describe : describe.skip;

describeLo('LibreOffice opens the letter set’s DOCX', () => {
  test('one page per part: the receipt (also with a long name and address) on a single page of its own', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-set-lo-'));
    const sets = {
      receipt: [data(), { receipt: true }],
      both: [data(), { annex: true, receipt: true }],
      long: [
        data({
          name: '柳州市柳城县大埔镇某某某某某某某某某某某某某某家具制造有限责任公司第二分公司',
          address: `${ADDRESS}某某某某某某厂区第三栋一楼东侧`,
        }),
        { receipt: true },
      ],
    } as const;
    try {
      for (const [name, [letterData, options]] of Object.entries(sets)) {
        const { docx } = await renderLetter(template, letterData, fonts, ['docx'], options);
        fs.writeFileSync(path.join(dir, `${name}.docx`), docx!);
      }
      const out = path.join(dir, 'pdf');
      const files = Object.keys(sets).map((n) => path.join(dir, `${n}.docx`));
      const result = spawnSync(
        'soffice',
        [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', out, ...files],
        { env: { ...process.env, FONTCONFIG_FILE: path.join(__dirname, '..', 'fonts', 'fontconfig', 'fonts.conf') }, timeout: 150_000 },
      );
      expect(result.status).toBe(0);
      const pages = (n: string) => pagesOf(new Uint8Array(fs.readFileSync(path.join(out, `${n}.pdf`))));
      expect(pages('receipt')).toHaveLength(2);
      expect(pages('both')).toHaveLength(3);
      expect(pages('long')).toHaveLength(2);
      for (const n of Object.keys(sets)) {
        const receipt = pages(n).at(-1)!;
        expect(receipt).toMatch(/^送达回证送达文书名称/);
        expect(receipt).toMatch(/备注$/);
      }
      expect(pages('both')[1]).toMatch(/^附件1用人单位进行职业病危害因素申报依据/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 200_000);
});

describe('templates: the pages’ own files', () => {
  function templateWith(file: string, edit: (text: string) => string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-tpl-set-'));
    fs.cpSync(template.dir, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, file), edit(fs.readFileSync(path.join(dir, file), 'utf8')));
    return dir;
  }

  test('an unknown field in receipt.hbs is told with that file and its line', () => {
    const dir = templateWith('receipt.hbs', (t) => t.replace('{{署名}}', '{{送达机关}}'));
    const line = fs.readFileSync(path.join(dir, 'receipt.hbs'), 'utf8').split('\n').indexOf('{{送达机关}}') + 1;
    expect(() => loadTemplate(dir)).toThrow(
      expect.objectContaining({
        code: 'E_TEMPLATE_FIELD',
        message: expect.stringContaining(`模板“${path.join(dir, 'receipt.hbs')}”第 ${line} 行引用了未知字段“送达机关”`),
      }),
    );
  });

  test.each([
    ['@格 宽=7 对齐=居中', '@格 宽=七 对齐=居中', '表格单元“@格”的选项“宽=七”无效'],
    ['@行 高=1.5', '@行 高=0', '表格行“@行”的选项“高=0”无效'],
    ['@格 宽=21\n{{文号}}', '@格 宽=20\n{{文号}}', '表格第 2 行的单元宽度合计为 27 字'],
    ['@标题\n送达回证\n@行 高=1.5', '@标题\n送达回证\n@格 宽=7', '“@格”前缺少表格行“@行”'],
    ['@格 宽=21\n\n{{#if', '@格 宽=21\n@正文\n尾注\n{{#if', '表格之后不能再有段落'],
  ])('receipt.hbs “%s” → “%s”: E_TEMPLATE_SYNTAX naming the file', (from, to, message) => {
    const dir = templateWith('receipt.hbs', (t) => (t.includes(from) ? t.replace(from, to) : `${t}\n@正文\n尾注\n`));
    expect(() => loadTemplate(dir)).toThrow(
      expect.objectContaining({
        code: 'E_TEMPLATE_SYNTAX',
        message: expect.stringContaining(`模板“${path.join(dir, 'receipt.hbs')}”：${message}`),
      }),
    );
  });

  test('a county may change the receipt: its own wording is printed', async () => {
    const dir = templateWith('receipt.hbs', (t) => t.replace('@标题\n送达回证', '@标题\n送达回执').replace('\n备注\n', '\n说明\n'));
    const { pdf } = await renderLetter(loadTemplate(dir), data(), fonts, ['pdf'], { receipt: true });
    expect(pagesOf(pdf!.bytes)[1]).toMatch(/^送达回执.*说明$/);
  });

  test('a template without a receipt file refuses --receipt (E_TEMPLATE_PAGE), and still makes the letter alone', async () => {
    const dir = templateWith('template.yaml', (t) => t.replace(/^receipt:.*\n/m, ''));
    const own = loadTemplate(dir);
    await expect(renderLetter(own, data(), fonts, ['pdf'], { receipt: true })).rejects.toMatchObject({ code: 'E_TEMPLATE_PAGE' });
    expect(pdfInfo((await renderLetter(own, data(), fonts, ['pdf'])).pdf!.bytes).Pages).toBe('1');
  });
});

describe('batch: letter sets and print volumes for duplex printing', () => {
  const rows = [
    ['柳州市恒通机械有限公司', '914502021000000169', 'C3311', '城中区', '城中街道', '城中区某路1号', '噪声'],
    ['柳州鑫源建材厂', '', 'C3011', '城中区', '大埔镇', '', '矽尘'],
    ['柳州宏达木业有限公司', '', 'C2110', '城中区', '大埔镇', '城中区某路3号', '木粉尘'],
  ];

  test.each([
    [{}, 1, 1],
    [{ annex: true }, 2, 2],
    [{ receipt: true }, 2, 4],
    [{ annex: true, receipt: true }, 3, 4],
  ])(
    '%j: %i page(s) per letter file, %i per employer in the volume',
    async (letterSet, perLetter, perEmployer) => {
      const dir = tempDir('set');
      const out = path.join(dir, 'out');
      await batch(writeCsv(dir, 'list.csv', rows), out, { render: letterSet });
      const manifest = readManifestJson(out) as ReturnType<typeof readManifestJson> & { options: object };
      expect(manifest.options).toEqual(letterSet);
      for (const letter of manifest.letters) {
        const file = letter.files.find((f) => f.format === 'pdf')!;
        expect(pdfInfo(new Uint8Array(fs.readFileSync(path.join(out, file.path)))).Pages).toBe(String(perLetter));
      }
      const volume = new Uint8Array(fs.readFileSync(path.join(out, '城中区', '城中区_打印合订本_第1册.pdf')));
      const pages = pagesOf(volume);
      expect(pages).toHaveLength(rows.length * perEmployer);
      for (let i = 0; i < rows.length; i++) {
        const sheet = pages.slice(i * perEmployer, (i + 1) * perEmployer);
        expect(sheet[0]).toMatch(/^职业病危害项目申报告知单/);
        if ('receipt' in letterSet) {
          // Sheet 1: letter, and on its back the annex or nothing; sheet 2: the receipt, its back blank.
          expect(sheet[1]).toEqual('annex' in letterSet ? expect.stringMatching(/^附件1/) : '');
          expect(sheet[2]).toMatch(/^送达回证/);
          expect(sheet[3]).toBe('');
        } else if ('annex' in letterSet) expect(sheet[1]).toMatch(/^附件1/);
      }
    },
    120_000,
  );
});

describe('register: a letter set is remade with the same pages', () => {
  test('the register records the options; a lost file is remade byte-identical (PDF and DOCX)', async () => {
    const dir = tempDir('set-register');
    const register = await Register.open(path.join(dir, 'register.sqlite'));
    try {
      const region = loadRegionConfig();
      const letterSet = { annex: true, receipt: true };
      const base = { ...data(), docNumber: undefined };
      const formats = ['pdf', 'docx'] as const;
      const issued = await issueLetter(register, {
        data: base,
        template,
        region,
        fonts,
        formats,
        render: letterSet,
        source: { kind: 'cli' },
      });
      expect((await register.letter(issued.id))!.render).toEqual(letterSet);
      expect(await register.schemaVersion()).toBe(SCHEMA_VERSION);
      for (const f of issued.files) {
        fs.rmSync(f.path);
        const kept = await register.fileFor(issued.id, f.format);
        expect(kept.remade).toBe(true);
        expect(Buffer.compare(kept.bytes, f.bytes)).toBe(0);
      }
      expect(pdfInfo(issued.files.find((f) => f.format === 'pdf')!.bytes).Pages).toBe('3');
    } finally {
      await register.close();
    }
  });
});
