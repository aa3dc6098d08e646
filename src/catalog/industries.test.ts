import path from 'node:path';
import { dataFile } from './data-file';
import { IndustryTable, industryCode, parseCode } from './industries';

const table = IndustryTable.read(dataFile(path.join(__dirname, '..', '..', 'data'), 'gbt4754-2017.csv'));

test('GB/T 4754-2017 counts: 1971 = 20 / 97 / 473 / 1381', () => {
  const count = (level: string) => table.all.filter((i) => i.level === level).length;
  expect(table.all).toHaveLength(1971);
  expect([count('section'), count('division'), count('group'), count('class')]).toEqual([20, 97, 473, 1381]);
});

test('every parent chain is complete and ends at its section', () => {
  expect(table.problems()).toEqual([]);
  for (const industry of table.all) {
    const chain = table.path(industry);
    expect(chain[0].code).toBe(industry.section);
    expect(chain[0].level).toBe('section');
    expect(chain[chain.length - 1]).toBe(industry);
  }
});

test('get accepts codes with or without the section letter, rejects a wrong letter', () => {
  expect(table.get('c3011')?.name).toBe('水泥制造');
  expect(table.get('３０１１')?.name).toBe('水泥制造');
  expect(table.get('C')?.name).toBe('制造业');
  expect(table.get('B3011')).toBeUndefined();
  expect(industryCode(table.get('30')!)).toBe('C30');
});

test('parseCode', () => {
  expect(parseCode('Ｃ３０')).toEqual({ letter: 'C', digits: '30' });
  expect(parseCode('水泥')).toBeUndefined();
});

test('a broken parent chain is reported with file and line', () => {
  const broken = new IndustryTable(
    { path: 'x.csv', label: 'data/x.csv' },
    [
      { code: 'C', level: 'section', section: 'C', name: '制造业' },
      { code: '30', level: 'division', section: 'C', name: '非金属矿物制品业', parent: 'C' },
      { code: '3011', level: 'class', section: 'C', name: '水泥制造', parent: '301' },
    ],
    [2, 3, 4],
    () => new Map(),
  );
  expect(broken.problems()).toEqual([{ file: 'data/x.csv', line: 4, message: 'C3011 的上级代码“301”不存在' }]);
});
