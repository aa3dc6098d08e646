import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleLetterData } from '../../test/fixtures/sample-letter-data';
import { StagingStore } from './staging';

function staged(name: string, township: string, row: number) {
  const { seal: _seal, ...bureau } = sampleLetterData().bureau;
  return { ...sampleLetterData({ employer: { name, township } }), bureau, source: { file: 'in.xlsx', row } };
}

describe('staging store', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hn-staging-')), '.staging.sqlite');

  it('answers which row first claimed a duplicate key, and reads counties back in route order', () => {
    const store = StagingStore.create(file);
    try {
      store.add(staged('乙厂', '大埔镇', 2), 'k2', ['uscc:A', 'name:乙厂']);
      store.add(staged('甲厂', '大埔镇', 3), 'k3', ['name:甲厂']);
      store.add(staged('丙厂', '东泉镇', 4), 'k4', ['name:丙厂']);
      expect(store.firstRowWith('uscc:A')).toBe(2);
      expect(store.firstRowWith('name:甲厂')).toBe(3);
      expect(store.firstRowWith('name:丁厂')).toBeUndefined();
      store.finishWriting();
      expect(store.countyCounts()).toEqual(new Map([['450222', 3]]));
      const rows = [...store.routeOrder('450222')];
      expect(rows.map((r) => `${r.employerKey} ${r.data.employer.township}${r.data.employer.name}`)).toEqual([
        'k4 东泉镇丙厂',
        'k2 大埔镇乙厂',
        'k3 大埔镇甲厂',
      ]);
      expect(rows[0].data).toEqual(staged('丙厂', '东泉镇', 4));
    } finally {
      store.dispose();
    }
    expect(fs.existsSync(file)).toBe(false);
  });

  it('hands the sealed rows to another connection (pass 1 and pass 2 run in different threads)', () => {
    const writer = StagingStore.create(file);
    writer.add(staged('甲厂', '大埔镇', 2), 'k2', ['name:甲厂']);
    writer.finishWriting();
    writer.close();
    expect(fs.existsSync(file)).toBe(true);
    const reader = StagingStore.open(file);
    try {
      expect([...reader.routeOrder('450222')].map((r) => r.data.employer.name)).toEqual(['甲厂']);
      expect(() => reader.add(staged('乙厂', '大埔镇', 3), 'k3', [])).toThrow(/opened for reading/);
    } finally {
      reader.dispose();
    }
    expect(fs.existsSync(file)).toBe(false);
    expect(() => StagingStore.open(file)).toThrow();
  });
});
