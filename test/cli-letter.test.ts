import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { runCli } from './cli-run';
import { pdfText } from './poppler';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hn-letter-'));
const flat = (s: string) => s.replace(/\s+/g, '');

describe('hazard-notice letter', () => {
  it('writes the PDF and the DOCX of one letter with its number from the register, and says where', async () => {
    const dir = tmp();
    const data = path.join(tmp(), 'data');
    const r = await runCli(
      'letter',
      '--name',
      '柳州市融昇家具制造有限公司',
      '--industry',
      'C2110',
      '--county',
      '柳城',
      '--hazards',
      '甲醛,噪声',
      '--date',
      '2025-07-31',
      '--out',
      dir,
      '--data-dir',
      data,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pdfFile = path.join(dir, '职业病危害项目申报告知单_柳州市融昇家具制造有限公司.pdf');
    const docxFile = pdfFile.replace(/\.pdf$/, '.docx');
    const register = path.join(data, 'register.sqlite');
    expect(r.stdout).toBe(`文号：柳城卫职告〔2025〕1号（已记入登记簿：${register}）\n已生成：${pdfFile}\n已生成：${docxFile}\n`);
    const text = flat(pdfText(fs.readFileSync(pdfFile)));
    expect(text).toContain('柳城卫职告〔2025〕1号');
    expect(text).toContain('柳州市融昇家具制造有限公司：');
    expect(text).toContain('你单位属于制造业（门类）、家具制造业（大类）木质家具制造（中类）行业，可能存在甲醛、噪声、木粉尘等职业病危害');
    expect(text).toContain('柳城县卫生健康局扫码申报2025年7月31日'); // the QR code's caption is on the date's line
    const xml = await (await JSZip.loadAsync(fs.readFileSync(docxFile))).file('word/document.xml')!.async('string');
    expect(xml).toContain('柳州市融昇家具制造有限公司');
    expect(xml).toContain('2025年7月31日');
  });

  it('prints a hazard with no disease in the catalogue (工频电磁场) with the disease clause left out cleanly', async () => {
    const dir = tmp();
    const r = await runCli(
      'letter',
      '--name',
      '柳州市某某数据服务有限公司',
      '--industry',
      'I6410',
      '--county',
      '柳城县',
      '--hazards',
      '工频电磁场',
      '--date',
      '2026-01-05',
      '--format',
      'pdf',
      '--out',
      dir,
    );
    expect(r.stderr).toBe('');
    const text = flat(pdfText(fs.readFileSync(path.join(dir, '职业病危害项目申报告知单_柳州市某某数据服务有限公司.pdf'))));
    expect(text).toContain(
      '可能存在工频电磁场等职业病危害，在职业病危害项目申报（变更申报）范围内，请及时、如实申报（变更申报）职业病危害，感谢对卫生健康部门',
    );
    expect(text).not.toMatch(/可能导致|等职业病，|[，、。；][，、。；]|（）|_{2,}/);
  });

  it('writes a single format to a named file', async () => {
    const file = path.join(tmp(), 'a.docx');
    const r = await runCli('letter', '--name', '甲厂', '--industry', '水泥制造', '--county', '450223', '--format', 'docx', '--out', file);
    expect(r.code).toBe(0);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['a.docx']);
  });

  it('refuses bad arguments with a Chinese error and a non-zero exit', async () => {
    const dir = tmp();
    const cases: [string[], RegExp][] = [
      [['--industry', '水泥制'], /E_INDUSTRY_UNKNOWN.*无法识别的行业；可能是：.*水泥制造/],
      [['--county', '南宁市'], /E_COUNTY_UNKNOWN/],
      [['--hazards', '不存在的物质'], /E_HAZARD_UNKNOWN.*不存在的物质/],
      [['--date', '2025-02-30'], /E_DATE_INVALID.*2025-02-30/],
      [['--format', 'odt'], /E_ARG_FORMAT/],
      [['--uscc', '91450222MA5K0A1B8F'], /E_USCC_CHECK/],
      [['--out', path.join(dir, 'x.pdf')], /E_ARG_OUT/],
    ];
    for (const [args, expected] of cases) {
      const base: Record<string, string> = { '--name': '甲厂', '--industry': 'C3011', '--county': '柳城县', '--out': dir };
      for (let i = 0; i < args.length; i += 2) base[args[i]] = args[i + 1];
      const r = await runCli('letter', ...Object.entries(base).flat());
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(expected);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    const unknownCounty = await runCli('letter', '--name', '甲厂', '--industry', 'C3011', '--county', '南宁市', '--out', dir);
    expect(unknownCounty.code).toBe(3);
    const missing = await runCli('letter', '--name', '甲厂');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/缺少必需的选项|--industry/);
  });
});
