import { runCli } from './cli-run';
import { TINY_DATA_DIR, makeDataDir, removeDataDirs } from './fixtures/catalog/data-dir';

afterAll(removeDataDirs);

const run = runCli;

const sampleDataDir = makeDataDir();
beforeEach(() => {
  process.env.HAZARD_NOTICE_DATA = sampleDataDir;
});
afterAll(() => {
  delete process.env.HAZARD_NOTICE_DATA;
});

describe('industry', () => {
  test('text: path, risk, hazards with inheritance, diseases of the 2024 catalogue', async () => {
    const r = await run('industry', 'C3011', '--date', '2025-08-01');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      'C3011 水泥制造\n  门类 C     制造业\n  大类 C30   非金属矿物制品业\n  中类 C301  水泥、石灰和石膏制造\n  小类 C3011 水泥制造\n',
    );
    expect(r.stdout).toContain('职业病危害风险：严重（《建设项目职业病危害风险分类管理目录》（国卫办职健发〔2021〕5号），按 C301 定级）');
    expect(r.stdout).toContain('  1. 水泥粉尘〔粉尘〕\n     职业病：水泥尘肺');
    expect(r.stdout).toContain('  3. 噪声〔物理因素，来自大类 C30〕\n     职业病：噪声聋');
    expect(r.stdout).toContain('2025-08-01 适用的《职业病分类和目录》（国卫职健发〔2024〕39号）');
  });

  test('--json: stable fields; the catalogue follows --date', async () => {
    const before = JSON.parse((await run('industry', '水泥制造', '--date', '2025-07-31', '--json')).stdout);
    expect(before.diseaseCatalogue).toEqual({
      id: '2013',
      docNumber: '国卫疾控发〔2013〕48号',
      title: '职业病分类和目录',
      validFrom: '2013-12-23',
      validUntil: '2025-07-31',
    });
    expect(before.industry).toMatchObject({ code: 'C3011', level: 'class', levelName: '小类', name: '水泥制造' });
    expect(before.path.map((p: { code: string }) => p.code)).toEqual(['C', 'C30', 'C301', 'C3011']);
    expect(before.risk).toEqual({ rating: '严重', fromCode: 'C301', subcases: [], note: null });
    expect(before.hazards.map((h: { id: string; fromCode: string; fromLevel: string }) => [h.id, h.fromCode, h.fromLevel])).toEqual([
      ['dust-7', 'C3011', 'class'],
      ['dust-1', 'C3011', 'class'],
      ['phys-1', 'C30', 'division'],
    ]);
    expect(before.hazards[1]).toMatchObject({
      shortName: '矽尘',
      basis: '样例依据丁',
      diseases: [{ name: '矽肺', category: '职业性尘肺病及其他呼吸系统疾病' }],
    });
    const after = JSON.parse((await run('industry', '水泥制造', '--date', '2025-08-01', '--json')).stdout);
    expect(after.diseaseCatalogue.id).toBe('2024');
  });

  test('sub-cases and the footnote', async () => {
    const r = await run('industry', 'A0311', '--date', '2026-01-01');
    expect(r.stdout).toContain('细分情形：牲畜饲养（牛、羊） 严重；牲畜饲养（其他） 一般');
    const furniture = await run('industry', 'C2110', '--date', '2026-01-01');
    expect(furniture.stdout).toContain('目录注：*不使用含苯');
  });

  test('unknown → Chinese error with suggestions, exit 3', async () => {
    const r = await run('industry', '家俱', '--date', '2026-01-01');
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^错误（E_INDUSTRY_UNKNOWN）：行业“家俱”未找到/);
    expect(r.stderr).toContain('可能是：\n  C21 家具制造业（大类）');
  });

  test('unknown with --json → the error and suggestions as JSON, exit 3', async () => {
    const r = await run('industry', 'C9999', '--json', '--date', '2026-01-01');
    expect(r.code).toBe(3);
    const body = JSON.parse(r.stdout);
    expect(body.error).toMatchObject({ code: 'E_INDUSTRY_UNKNOWN', reason: 'unknown', input: 'C9999' });
    expect(body.error.suggestions).toHaveLength(5);
  });

  test('ambiguous name, exit 3 (tiny data)', async () => {
    process.env.HAZARD_NOTICE_DATA = TINY_DATA_DIR;
    const r = await run('industry', '其他制品', '--date', '2026-01-01');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('E_INDUSTRY_AMBIGUOUS');
    expect(r.stderr).toContain('  A0190 其他制品（小类）\n  C3021 其他制品（小类）');
  });

  test('an invalid or too early --date is a usage error, exit 2', async () => {
    expect((await run('industry', 'C3011', '--date', '2025-02-30')).code).toBe(2);
    const early = await run('industry', 'C3011', '--date', '2010-01-01');
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('E_DATE_NO_CATALOGUE');
  });
});

describe('hazard', () => {
  test('by CAS inside a multi-CAS cell', async () => {
    const r = await run('hazard', '20859-73-8', '--date', '2026-01-01');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '磷化氢、磷化锌、磷化铝（编号 chem-22）\n  类别：化学因素，《职业病危害因素分类目录》第 22 项\n  CAS 号：7803-51-2、1314-84-7、20859-73-8',
    );
  });

  test('by alias, --json', async () => {
    const body = JSON.parse((await run('hazard', '石英粉尘', '--date', '2024-01-01', '--json')).stdout);
    expect(body.hazard).toEqual({
      id: 'dust-1',
      name: '矽尘（游离SiO2含量≥10%）',
      shortName: '矽尘',
      aliases: ['砂尘', '石英粉尘'],
      category: '粉尘',
      seq: 1,
      cas: '14808-60-7',
      note: null,
    });
    expect(body.diseaseCatalogue.id).toBe('2013');
    expect(body.diseases).toEqual([
      { name: '矽肺', category: '职业性尘肺病及其他呼吸系统疾病', subcategory: '尘肺病', seq: 1, basis: '《职业病分类和目录》；GBZ 70' },
    ]);
  });

  test('unknown → suggestions, exit 3', async () => {
    const r = await run('hazard', '矽粉');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('E_HAZARD_UNKNOWN');
    expect(r.stderr).toContain('矽尘（游离SiO2含量≥10%）〔粉尘〕');
  });
});

describe('catalog check', () => {
  test('the tiny data passes: summary, exit 0', async () => {
    process.env.HAZARD_NOTICE_DATA = TINY_DATA_DIR;
    const r = await run('catalog', 'check');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('国民经济行业分类：14 条（门类 2，大类 2，中类 4，小类 6）');
    expect(r.stdout).toContain('严重行业覆盖：2 / 2（含细分情形）');
    expect(r.stdout).toContain('检查通过：未发现问题。');
  });

  test('problems → listed, exit 4; --json report', async () => {
    const r = await run('catalog', 'check');
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('data/hazard-diseases.yaml：缺少危害因素 dust-2 煤尘');
    expect(r.stderr).toContain('E_CHECK_FAILED');
    const json = await run('catalog', 'check', '--json');
    const report = JSON.parse(json.stdout);
    expect(json.code).toBe(4);
    expect(report.ok).toBe(false);
    expect(report.summary.industries).toEqual({ section: 20, division: 97, group: 473, class: 1381 });
  });
});

describe('program', () => {
  test('help in Chinese', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^用法： hazard-notice \[选项\] \[命令\]/);
    expect(r.stdout).toContain('选项：');
    expect(r.stdout).toContain('-h, --help');
    expect(r.stdout).toContain('显示帮助');
    expect(r.stdout).toContain('命令：');
    expect(r.stdout).not.toMatch(/Usage|Options|display help/);
    const sub = await run('industry', '--help');
    expect(sub.stdout).toMatch(/^用法： hazard-notice industry \[选项\] <代码或名称>/);
    expect(sub.stdout).toContain('参数：');
  });

  test('version from package.json', async () => {
    const r = await run('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('usage errors in Chinese, exit 2', async () => {
    const unknownOption = await run('industry', 'C3011', '--bogus');
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toBe('错误：不认识的选项 --bogus。运行 hazard-notice --help 查看用法。\n');
    const missing = await run('industry');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('缺少参数 代码或名称');
    expect((await run('nonsense')).stderr).toContain('不认识的命令 nonsense');
  });
});

test('no English left in subcommand help', async () => {
  const r = await run('catalog', '--help');
  expect(r.stdout).toContain('check [选项]');
  expect(r.stdout).not.toMatch(/\[options\]|\[command\]|display help/);
});

test('a broken knowledge base → the file and line named, exit 4', async () => {
  process.env.HAZARD_NOTICE_DATA = makeDataDir({ 'hazard-names.yaml': 'source: x\nitems:\n  - id: dust-1\n    name: 矽尘\n' });
  const r = await run('industry', 'C3011');
  expect(r.code).toBe(4);
  expect(r.stderr).toBe(
    '错误（E_DATA_INVALID）：数据文件 data/hazard-names.yaml 第 3 行：dust-1 的名称应为“矽尘（游离SiO2含量≥10%）”，实际为“矽尘”\n',
  );
});
