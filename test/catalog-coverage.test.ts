// Issue 9, coverage: every 小类 has a list of its own or is marked "no typical occupational hazard".

import { checkKnowledgeBase } from '../src/catalog/check';
import { loadKnowledgeBase } from '../src/catalog/load';
import { loadRegionConfig } from '../src/config/region';
import { resolveRecord } from '../src/resolve/resolve-record';
import { TINY_DATA_DIR, makeDataDir, removeDataDirs } from './fixtures/catalog/data-dir';
import fs from 'node:fs';
import path from 'node:path';

afterAll(removeDataDirs);
const kb = loadKnowledgeBase();

test('the bundled data handles all 1,381 小类: a specific list or a reasoned no-typical-hazard mark', () => {
  const report = checkKnowledgeBase();
  expect(report.problems).toEqual([]);
  const classes = report.summary?.coverage.classes;
  expect(classes).toMatchObject({ generic: 0, unmapped: 0 });
  expect((classes?.specific ?? 0) + (classes?.none ?? 0)).toBe(1381);
});

test('catalog check fails on a 小类 that is neither (generic-only or unmapped)', () => {
  const tiny = fs.readFileSync(path.join(TINY_DATA_DIR, 'industry-hazards.yaml'), 'utf8');
  const withoutMarks = tiny.replace(/ {2}- code: '011'[\s\S]*$/, '');
  const messages = checkKnowledgeBase(makeDataDir({ 'industry-hazards.yaml': withoutMarks }, TINY_DATA_DIR)).problems.map((p) => p.message);
  expect(messages).toEqual([
    '小类 A0111 稻谷种植 只有A的通用清单：请在中类或小类写出清单及依据，或标为无典型职业病危害',
    '小类 A0112 小麦种植 只有A的通用清单：请在中类或小类写出清单及依据，或标为无典型职业病危害',
    '小类 A0190 其他制品 只有A的通用清单：请在中类或小类写出清单及依据，或标为无典型职业病危害',
  ]);
});

test.each([
  ['F5191', '噪声'],
  ['G5435', '苯'],
  ['H6110', '高温'],
  ['O8051', '高温'],
  ['O8211', '其他粉尘'],
  ['R9011', '噪声'],
  ['P8341', '甲醛'],
  ['P8391', '电焊烟尘'],
  ['S9223', '艾滋病病毒'],
  ['O8030', '四氯乙烯'],
  ['O8040', '对苯二胺'],
])('named gap %s now lists %s', (code, hazard) => {
  expect(kb.industryCoverage(code).kind).toBe('specific');
  expect(kb.industryHazards(code).map((h) => h.hazard.shortName)).toContain(hazard);
});

test.each(['I6511', 'J6621', 'K7010', 'L7211', 'P8321', 'R8610', 'S9100', 'T9700'])(
  '%s is marked no-typical-hazard with a reason',
  (code) => {
    const coverage = kb.industryCoverage(code);
    expect(coverage.kind).toBe('none');
    expect(coverage.kind === 'none' && coverage.reason.length).toBeGreaterThan(10);
  },
);

describe('letters for a no-typical-hazard industry ask for the employer’s own hazards', () => {
  const region = loadRegionConfig();
  const resolve = (hazards?: string[]) =>
    resolveRecord(
      {
        source: { file: '名单.xlsx', row: 7 },
        name: '柳州市某某软件有限公司',
        industry: 'I6511',
        county: '柳城县',
        ...(hazards ? { hazards } : {}),
        columns: { name: '单位名称', industry: '行业代码', county: '区县', hazards: '危害因素' },
      },
      { kb, region, date: '2026-01-05', maxHazards: 3 },
    );

  test('without hazards → E_HAZARD_NEEDED naming the reason and the 危害因素 column', () => {
    const r = resolve();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0].code).toBe('E_HAZARD_NEEDED');
    expect(r.errors[0].message).toMatch(/无典型职业病危害.*危害因素/);
  });

  test('a hazard with no disease in the catalogue (工频电磁场) still gets a letter, with no diseases', () => {
    const r = resolve(['工频电磁场']);
    expect(r.ok && r.data.hazards.map((h) => h.name)).toEqual(['工频电磁场']);
    expect(r.ok && r.data.diseases).toEqual([]);
  });

  test('with the employer’s own hazards → a letter', () => {
    const r = resolve(['噪声']);
    expect(r.ok && r.data.hazards.map((h) => h.name)).toEqual(['噪声']);
  });
});
