import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleLetterData } from '../../test/fixtures/sample-letter-data';
import { buildLetterDocument, loadTemplate } from './template';

const text = (p: { runs: { text: string }[] }) => p.runs.map((r) => r.text).join('');

function copyTemplate(edit: (hbs: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-tpl-'));
  const src = loadTemplate().dir;
  fs.cpSync(src, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'template.hbs'), edit(fs.readFileSync(path.join(src, 'template.hbs'), 'utf8')));
  return dir;
}

describe('default template (Annex 2)', () => {
  const template = loadTemplate();

  it('keeps every fixed word of the form and fills every blank', () => {
    const doc = buildLetterDocument(template, sampleLetterData());
    const roles = doc.paragraphs.map((p) => p.role);
    expect(roles).toEqual(['title', 'salutation', 'body', 'body', 'body', 'signature', 'date']);
    expect(text(doc.paragraphs[0])).toBe('职业病危害项目申报告知单');
    expect(text(doc.paragraphs[1])).toBe('柳州市融昇家具制造有限公司：');
    expect(text(doc.paragraphs[2])).toBe(
      '你单位属于制造业（门类）、家具制造业（大类）木质家具制造（中类）行业，可能存在木粉尘、苯、噪声等职业病危害，' +
        '可能导致苯中毒、苯所致白血病、噪声聋等职业病，在职业病危害项目申报（变更申报）范围内，请及时、如实申报（变更申报）职业病危害，' +
        '感谢对卫生健康部门工作的理解和支持。',
    );
    expect(text(doc.paragraphs[3])).toContain('操作流程网址：http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml');
    expect(text(doc.paragraphs[4])).toBe('职业病危害项目申报网址：https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login');
    expect(text(doc.paragraphs[5])).toBe('柳城县卫生健康局');
    expect(text(doc.paragraphs[6])).toBe('2026年11月29日');
  });

  it('draws filled blanks as underlined runs naming their field', () => {
    const doc = buildLetterDocument(template, sampleLetterData());
    const fills = doc.paragraphs.flatMap((p) => p.runs.filter((r) => r.underline).map((r) => `${r.field}=${r.text}`));
    expect(fills).toEqual([
      '单位名称=柳州市融昇家具制造有限公司',
      '门类=制造业',
      '大类=家具制造业',
      '中类=木质家具制造',
      '危害因素=木粉尘',
      '危害因素=苯',
      '危害因素=噪声',
      '职业病=苯中毒',
      '职业病=苯所致白血病',
      '职业病=噪声聋',
    ]);
  });

  it('lays out roles per GB/T 9704 and sets metadata', () => {
    const doc = buildLetterDocument(template, sampleLetterData());
    const [title, salutation, body, , , signature, date] = doc.paragraphs;
    expect(title.align).toBe('center');
    expect(salutation).toMatchObject({ align: 'left', indentChars: 0, spaceBeforeLines: 1 });
    expect(body).toMatchObject({ align: 'justify', indentChars: 2 });
    expect(signature).toMatchObject({ align: 'right', rightIndentChars: 2, spaceBeforeLines: 1 });
    expect(date.align).toBe('right');
    expect(doc.meta).toMatchObject({ author: '柳城县卫生健康局', language: 'zh-CN', date: '2026-11-29' });
    expect(doc.meta.title).toBe('职业病危害项目申报告知单（柳州市融昇家具制造有限公司）');
    expect(doc.layout.fonts.body.sizePt).toBe(16);
    expect(template.id).toMatch(/^liuzhou-annex2@[0-9a-f]{12}$/);
  });

  it('prints the document number and the contact line only when there is one', () => {
    const doc = buildLetterDocument(template, sampleLetterData({ docNumber: '柳城卫职告〔2026〕7号' }));
    expect(doc.paragraphs[1]).toMatchObject({ role: 'docNumber', align: 'center' });
    expect(text(doc.paragraphs[1])).toBe('柳城卫职告〔2026〕7号');
    const withContact = buildLetterDocument(
      template,
      sampleLetterData({ bureau: { ...sampleLetterData().bureau, contact: '0772-7212345' } }),
    );
    expect(withContact.paragraphs.map(text)).toContain('联系方式：0772-7212345');
    expect(template.usesDocNumber).toBe(true);
  });

  it('builds each letter with its own paragraphs', () => {
    const first = buildLetterDocument(template, sampleLetterData());
    first.paragraphs[0].align = 'left';
    const second = buildLetterDocument(template, sampleLetterData({ employer: { name: '柳州市另一家公司' } }));
    expect(second.paragraphs[0].align).toBe('center');
    expect(text(second.paragraphs[1])).toBe('柳州市另一家公司：');
  });

  it('honours the configured maximum of hazards and diseases', () => {
    const dir = copyTemplate((h) => h);
    fs.writeFileSync(
      path.join(dir, 'template.yaml'),
      fs
        .readFileSync(path.join(dir, 'template.yaml'), 'utf8')
        .replace(/maxHazards: 3/, 'maxHazards: 4')
        .replace(/maxDiseases: 3/, 'maxDiseases: 2'),
    );
    const doc = buildLetterDocument(loadTemplate(dir), sampleLetterData());
    expect(text(doc.paragraphs[2])).toContain('可能存在木粉尘、苯、噪声、甲苯等职业病危害，可能导致苯中毒、苯所致白血病等职业病');
  });
});

describe('a hazard with no disease in the catalogue (工频电磁场)', () => {
  it('leaves the disease clause out cleanly, no empty blank', () => {
    const data = { ...sampleLetterData(), diseases: [] };
    data.hazards = [{ id: 'phys-12', name: '工频电磁场', category: '物理因素', origin: 'record' }];
    const body = text(buildLetterDocument(loadTemplate(), data).paragraphs[2]);
    expect(body).toBe(
      '你单位属于制造业（门类）、家具制造业（大类）木质家具制造（中类）行业，可能存在工频电磁场等职业病危害，' +
        '在职业病危害项目申报（变更申报）范围内，请及时、如实申报（变更申报）职业病危害，感谢对卫生健康部门工作的理解和支持。',
    );
  });
});

describe('county-edited templates', () => {
  it('accepts added wording such as a deadline sentence', () => {
    const dir = copyTemplate((h) => h.replace('感谢对卫生健康部门', '请于{{日期}}起30日内完成申报，感谢对卫生健康部门'));
    const doc = buildLetterDocument(loadTemplate(dir), sampleLetterData());
    expect(text(doc.paragraphs[2])).toContain('请于2026年11月29日起30日内完成申报，');
  });

  it('reads a template saved with Windows line ends', () => {
    const doc = buildLetterDocument(loadTemplate(copyTemplate((h) => h.replace(/\n/g, '\r\n'))), sampleLetterData());
    expect(doc).toEqual(buildLetterDocument(loadTemplate(), sampleLetterData()));
  });

  it('rejects an unknown field, naming it and the template line', () => {
    const dir = copyTemplate((h) => h.replace('{{署名}}', '{{发文单位}}'));
    expect(() => loadTemplate(dir)).toThrow(/template\.hbs”第 \d+ 行引用了未知字段“发文单位”/);
    try {
      loadTemplate(dir);
    } catch (e) {
      const line = (e as { details: { line: number } }).details.line;
      const lines = fs.readFileSync(path.join(dir, 'template.hbs'), 'utf8').split('\n');
      expect(lines[line - 1]).toContain('{{发文单位}}');
      expect((e as { code: string }).code).toBe('E_TEMPLATE_FIELD');
    }
  });

  it('rejects an unknown blank field, helper and paragraph role', () => {
    expect(() => loadTemplate(copyTemplate((h) => h.replace('{{署名}}', '{{大写 署名}}')))).toThrow(/第 \d+ 行引用了未知字段“大写”/);
    expect(() => loadTemplate(copyTemplate((h) => h.replace('{{填 单位名称}}', '{{填 企业名}}')))).toThrow(
      /第 \d+ 行引用了未知字段“企业名”/,
    );
    expect(() => loadTemplate(copyTemplate((h) => h.replace('@署名 空行=1', '@落款 空行=1')))).toThrow(/未知的段落角色“@落款”/);
  });

  it('refuses to print an empty blank', () => {
    const dir = copyTemplate((h) => h.replace('{{填 单位名称}}：', '{{填 单位名称}}（{{填 统一社会信用代码}}）：'));
    const data = sampleLetterData();
    data.employer.uscc = undefined;
    expect(() => buildLetterDocument(loadTemplate(dir), data)).toThrow(/填空“统一社会信用代码”没有内容/);
  });
});

describe('template.yaml errors', () => {
  function withSettings(edit: (yaml: string) => string): { dir: string; yaml: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-tpl-'));
    const src = loadTemplate().dir;
    fs.cpSync(src, dir, { recursive: true });
    const yaml = edit(fs.readFileSync(path.join(src, 'template.yaml'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'template.yaml'), yaml);
    return { dir, yaml };
  }

  it.each([
    ['sizePt: 16', 'sizePt: 三号', '三号', 'layout.fonts.body.sizePt 应为数字，实际为文字“三号”'],
    ['maxHazards: 3', 'maxHazards: 0', '0', 'maxHazards 不能小于 1，实际为 0'],
    [
      'marginTopMm: 37',
      'marginTopMM: 37',
      'marginTopMM',
      'layout 有不认识的键“marginTopMM”（可用的键：pageWidthMm、pageHeightMm、marginTopMm、',
    ],
    ['url: https://gxzyjkapp', 'url: ftp://gxzyjkapp', 'ftp', 'qrCodes.0.url url 应为 http:// 或 https:// 开头'],
    ['maxLinesPerPage: 28', 'maxLinesPerPage: 20', '20', 'layout.maxLinesPerPage 不能小于 linesPerPage（22），实际为 20'],
  ])('%s → %s: the file, the line and column, what was expected', (from, to, at, message) => {
    const { dir, yaml } = withSettings((y) => y.replace(from, to));
    const before = yaml.slice(0, yaml.indexOf(to) + to.indexOf(at)).split('\n');
    const where = `第 ${before.length} 行第 ${before[before.length - 1].length + 1} 列`;
    let error: unknown;
    try {
      loadTemplate(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'E_TEMPLATE_SETTINGS' });
    expect((error as Error).message).toMatch(
      new RegExp(`^模板设置文件“${escape(path.join(dir, 'template.yaml'))}”${where}：${escape(message)}`),
    );
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
