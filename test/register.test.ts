// The register: migration of an older ledger, numbers across processes, letters recorded and searched, files handed
// back checked by SHA-256 and remade byte-identical when missing; the data directory's location. The storage tests run
// on both backends: SQLite and PostgreSQL (a throwaway cluster; skipped without its binaries).

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadKnowledgeBase } from '../src/catalog/load';
import { loadRegionConfig } from '../src/config/region';
import { typescriptEntryScript } from '../src/batch/worker-pool';
import type { EmployerRecord } from '../src/input/employer';
import { loadTemplate } from '../src/letter/template';
import { resolveDataDir, userDataDir } from '../src/register/data-dir';
import { issueLetter } from '../src/register/issue-letter';
import { migrations, SCHEMA_VERSION } from '../src/register/migrations';
import { Register } from '../src/register/register';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import type { LetterData } from '../src/resolve/letter-data';
import { resolveRecord } from '../src/resolve/resolve-record';
import { eachBackend } from './postgres';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hn-register-'));
const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');
const template = loadTemplate();
const region = loadRegionConfig();
const kb = loadKnowledgeBase();
const fonts = loadFontSet(defaultFontsDir(), template.layout);

function letterData(name: string, county: string, date: string, uscc?: string): LetterData {
  const record: EmployerRecord = {
    source: { file: 'test', row: 1 },
    name,
    uscc,
    industry: 'C3311',
    county,
    hazards: ['噪声'],
    columns: {},
  };
  const r = resolveRecord(record, { kb, region, date, maxHazards: template.maxHazards });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.data;
}

/** A clock that ticks one minute per reading from a fixed start. */
function tickingClock(start = '2026-11-29T01:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 60_000));
}

describe('migrations', () => {
  test('a .ledger.sqlite made by 0.1 opens, migrates to the current schema, keeps its numbers and files, numbers on', async () => {
    const file = path.join(tmp(), '.ledger.sqlite');
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'register', 'ledger-v0.sqlite'), file); // made by src/batch/ledger.ts of 0.1
    const reg = await Register.open(file);
    try {
      expect(await reg.schemaVersion()).toBe(SCHEMA_VERSION);
      const req = (key: string) => ({ bureau: '450222', employerKey: key, date: '2026-11-29', templateId: 'liuzhou-annex2@old' });
      expect(await reg.issueNumbers([req('name:450222:柳城甲厂'), req('uscc:914502021000000169'), req('name:450222:新厂')])).toEqual([
        1, 2, 3,
      ]);
      expect(await reg.fileRecord('/old/out/柳城县/1_柳城甲厂.pdf')).toEqual({ sha256: 'a'.repeat(64), batchId: 'oldbatch01234567' });
      expect(await reg.batchOf('/old/out')).toBe('oldbatch01234567');
      expect(await reg.search()).toEqual({ total: 0, page: 1, pageSize: 20, rows: [] });
    } finally {
      await reg.close();
    }
    const again = await Register.open(file); // already migrated: opens as is
    expect(await again.schemaVersion()).toBe(SCHEMA_VERSION);
    await again.close();
  });

  test('a register.sqlite made by the previous version (schema 5) migrates in place: counters from its numbers, numbering on', async () => {
    const file = path.join(tmp(), 'register.sqlite');
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'register', 'register-v5.sqlite'), file); // made by the code before migration 6
    const reg = await Register.open(file);
    try {
      expect(await reg.schemaVersion()).toBe(SCHEMA_VERSION);
      const req = (bureau: string, key: string) => ({ bureau, employerKey: key, date: '2026-11-29', templateId: 'liuzhou-annex2@v5' });
      expect(
        await reg.issueNumbers([req('450202', 'name:450202:新厂'), req('450202', 'uscc:914502021000000169'), req('450222', 'x')]),
      ).toEqual([3, 1, 2]);
      expect(await reg.fileRecord('/v5/out/城中区/1_甲.pdf')).toEqual({ sha256: 'c'.repeat(64), batchId: 'v5batch0123456789' });
      expect(await reg.batchOf('/v5/out')).toBe('v5batch0123456789');
    } finally {
      await reg.close();
    }
  });

  test('the SQL files of both dialects: the same versions, 1 to SCHEMA_VERSION', () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      expect(migrations(dialect).map((m) => m.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    }
    expect(migrations('postgres').map((m) => m.name)).toEqual(migrations('sqlite').map((m) => m.name));
  });

  test('a register from a newer version is refused with a Chinese error', async () => {
    const file = path.join(tmp(), 'register.sqlite');
    await (await Register.open(file)).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(Register.open(file)).rejects.toMatchObject({ code: 'E_REGISTER_VERSION', message: expect.stringMatching(/更新版本/) });
  });
});

test("durability (SQLite): numbers are fsynced (synchronous FULL); a batch's records may skip it (NORMAL) and FULL comes back", async () => {
  const file = path.join(tmp(), 'register.sqlite');
  const reg = await Register.open(file);
  const db = (reg.storage as unknown as { db: Database.Database }).db;
  const mode = async () => db.pragma('synchronous', { simple: true });
  const FULL = 2;
  const NORMAL = 1;
  expect(await reg.transaction(mode)).toBe(FULL);
  expect(await reg.transaction(mode, { durable: false })).toBe(NORMAL);
  expect(await mode()).toBe(FULL);
  await reg.recordFiles([{ path: '/x/a.pdf', sha256: 'ab' }], 'b1', { durable: false });
  expect(await mode()).toBe(FULL);
  expect(await reg.transaction(() => reg.transaction(mode, { durable: false }))).toBe(FULL); // joins the durable outer one
  await expect(
    reg.transaction(
      async () => {
        throw new Error('boom');
      },
      { durable: false },
    ),
  ).rejects.toThrow('boom');
  expect(await mode()).toBe(FULL);
  await reg.close();
  const again = await Register.open(file);
  expect(await again.fileRecord('/x/a.pdf')).toEqual(expect.objectContaining({ sha256: 'ab', batchId: 'b1' }));
  await again.close();
});

eachBackend('register', (backend) => {
  /** A new empty register: a PostgreSQL database of its own, or an SQLite file. */
  const fresh = async () => (await backend.fresh()) ?? path.join(tmp(), 'register.sqlite');

  test('three processes issuing from one register: every number once, none skipped, a shared employer one number', async () => {
    const target = await fresh();
    await (await Register.open(target)).close();
    const PER = 40;
    const startAt = String(Date.now() + 4000); // all three issue at once, once each has started
    const script = typescriptEntryScript(path.join(__dirname, 'fixtures', 'register', 'issue-child.ts'));
    const runs = ['a', 'b', 'c'].map(
      (name) =>
        new Promise<{ key: string; seq: number }[]>((resolve, reject) => {
          const child = spawn(process.execPath, ['-e', script, target, name, String(PER), startAt], { stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (err += d));
          child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child ${name}: ${err}`))));
        }),
    );
    const results = await Promise.all(runs);
    const byKey = new Map<string, Set<number>>();
    for (const r of results.flat()) byKey.set(r.key, (byKey.get(r.key) ?? new Set()).add(r.seq));
    for (const [key, seqs] of byKey) expect([key, seqs.size]).toEqual([key, 1]); // one number per employer, whoever asked
    const all = [...byKey.values()].map((s) => [...s][0]).sort((a, b) => a - b);
    expect(all).toHaveLength(3 * PER + PER); // each worker's own + the shared ones
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1)); // unique and gap-free
  }, 120_000);

  test('one process, many requests at once (several connections on PostgreSQL): unique, gap-free, one number per letter', async () => {
    const reg = await Register.open(await fresh());
    try {
      const req = (bureau: string, key: string) => ({ bureau, employerKey: key, date: '2026-11-29', templateId: 't@1' });
      // Two bureaus in one request list, in both orders: the counter rows are locked in one order, never a deadlock.
      const asks = Array.from({ length: 60 }, (_, i) =>
        reg.issueNumbers(
          i % 2 ? [req('450202', `k${i % 20}`), req('450222', `k${i % 20}`)] : [req('450222', `k${i % 20}`), req('450202', `k${i % 20}`)],
        ),
      );
      const results = await Promise.all(asks);
      for (const bureau of [0, 1]) {
        const byKey = new Map<number, Set<number>>();
        results.forEach((r, i) => byKey.set(i % 20, (byKey.get(i % 20) ?? new Set()).add(r[i % 2 ? bureau : 1 - bureau])));
        for (const seqs of byKey.values()) expect(seqs.size).toBe(1);
        expect([...byKey.values()].map((s) => [...s][0]).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      }
    } finally {
      await reg.close();
    }
  });

  describe('letters recorded', () => {
    const dataDir = path.join(tmp(), 'data');
    let register: Register;
    const issued: { id: number; docNumber: string }[] = [];

    beforeAll(async () => {
      register = await Register.inDataDir(dataDir, { clock: tickingClock(), database: await backend.fresh() });
      const letters: [string, string, string, string?][] = [
        ['柳州市恒通机械有限公司', '城中区', '2026-11-29', '914502021000000169'],
        ['柳州鑫源建材厂', '城中区', '2026-12-01'],
        ['柳城县某某机械厂', '柳城县', '2026-12-02'],
      ];
      for (const [name, county, date, uscc] of letters) {
        const r = await issueLetter(register, {
          data: letterData(name, county, date, uscc),
          template,
          region,
          fonts,
          formats: ['pdf', 'docx'],
          source: { kind: 'web' },
        });
        issued.push({ id: r.id, docNumber: r.docNumber });
      }
    });
    afterAll(() => register.close());

    test('numbers, the record of each letter, and the same employer + date + template getting its number back', async () => {
      expect(issued.map((l) => l.docNumber)).toEqual(['城中卫职告〔2026〕1号', '城中卫职告〔2026〕2号', '柳城卫职告〔2026〕1号']);
      const again = await issueLetter(register, {
        data: letterData('柳州鑫源建材厂', '城中区', '2026-12-01'),
        template,
        region,
        fonts,
        formats: ['pdf'],
        source: { kind: 'cli' },
      });
      expect([again.id, again.docNumber]).toEqual([issued[1].id, '城中卫职告〔2026〕2号']);
      const l = (await register.letter(issued[0].id))!;
      expect(l).toMatchObject({
        docNumber: '城中卫职告〔2026〕1号',
        bureau: '450202',
        year: 2026,
        seq: 1,
        name: '柳州市恒通机械有限公司',
        uscc: '914502021000000169',
        county: { code: '450202', name: '城中区' },
        industry: { code: 'C3311' },
        date: '2026-11-29',
        source: { kind: 'web' },
        templateId: template.id,
        catalogue: '国卫职健发〔2024〕39号',
        employerKey: 'uscc:914502021000000169',
        createdAt: '2026-11-29T01:01:00.000Z',
      });
      expect(l.industry.path).toMatch(/^C 制造业 › C33 金属制品业 › C331 .+ › C3311 /);
      expect(l.hazards).toContain('噪声');
      expect(l.diseases).toContainEqual({ name: '噪声聋', catalogueName: '噪声聋' });
      expect(l.data.docNumber).toBe('城中卫职告〔2026〕1号');
      expect(l.files.map((f) => f.format)).toEqual(['docx', 'pdf']);
      for (const f of l.files) {
        expect(f.path.startsWith(path.join(dataDir, 'letters', '城中区', '2026') + path.sep)).toBe(true);
        expect(sha(fs.readFileSync(f.path))).toBe(f.sha256);
      }
      // Recorded again: the first issue time stays, the record is the latest (a CLI letter now, PDF only).
      const latest = (await register.letter(issued[1].id))!;
      expect(latest.source).toEqual({ kind: 'cli' });
      expect(latest.files.map((f) => f.format)).toEqual(['pdf']);
      expect(latest.createdAt < latest.updatedAt).toBe(true);
    });

    test('search: by name, USCC or number; county and date range; newest first; paged with the total', async () => {
      const names = async (q: Parameters<Register['search']>[0]) => (await register.search(q)).rows.map((r) => r.name);
      expect(await names({})).toEqual(['柳城县某某机械厂', '柳州鑫源建材厂', '柳州市恒通机械有限公司']);
      expect(await names({ q: '鑫源' })).toEqual(['柳州鑫源建材厂']);
      expect(await names({ q: '914502021000000169' })).toEqual(['柳州市恒通机械有限公司']);
      expect(await names({ q: '〔2026〕2号' })).toEqual(['柳州鑫源建材厂']);
      expect(await names({ county: '城中区' })).toEqual(['柳州鑫源建材厂', '柳州市恒通机械有限公司']);
      expect(await names({ county: '450222' })).toEqual(['柳城县某某机械厂']);
      expect(await names({ from: '2026-12-01', to: '2026-12-01' })).toEqual(['柳州鑫源建材厂']);
      const page2 = await register.search({ page: 2, pageSize: 2 });
      expect([page2.total, page2.page, page2.pageSize, page2.rows.map((r) => r.name)]).toEqual([3, 2, 2, ['柳州市恒通机械有限公司']]);
      expect((await register.search({ q: '%' })).total).toBe(0); // the text is matched as is, never as a pattern
    });

    test('fileFor: the kept file checked by SHA-256; deleted or changed, remade with the same bytes', async () => {
      const id = issued[2].id;
      for (const format of ['pdf', 'docx'] as const) {
        const kept = await register.fileFor(id, format);
        expect(kept.remade).toBe(false);
        const original = fs.readFileSync(kept.path);
        expect(Buffer.from(kept.bytes).equals(original)).toBe(true);

        fs.rmSync(kept.path);
        const remade = await register.fileFor(id, format);
        expect(remade).toMatchObject({ path: kept.path, sha256: kept.sha256, remade: true });
        expect(fs.readFileSync(kept.path).equals(original)).toBe(true);

        fs.writeFileSync(kept.path, 'changed');
        expect((await register.fileFor(id, format)).remade).toBe(true);
        expect(fs.readFileSync(kept.path).equals(original)).toBe(true);
      }
      await expect(register.fileFor(9999, 'pdf')).rejects.toMatchObject({ code: 'E_REGISTER_NOT_FOUND' });
    });

    test('fileFor: a format never made for the letter is made and recorded', async () => {
      const id = issued[1].id; // re-issued above as PDF only
      const docx = await register.fileFor(id, 'docx');
      expect(docx.remade).toBe(true);
      expect((await register.letter(id))!.files.map((f) => [f.format, f.sha256])).toContainEqual(['docx', docx.sha256]);
      expect((await register.fileFor(id, 'docx')).remade).toBe(false);
    });
  });
});

describe('data directory', () => {
  test('--data-dir, else HAZARD_NOTICE_DATA_DIR, else the user data directory', () => {
    expect(resolveDataDir('rel/dir', {})).toBe(path.resolve('rel/dir'));
    expect(resolveDataDir(undefined, { HAZARD_NOTICE_DATA_DIR: '/srv/hn' })).toBe(path.resolve('/srv/hn'));
    expect(resolveDataDir(undefined, {})).toBe(userDataDir());
  });

  test('per platform: XDG_DATA_HOME or ~/.local/share, %APPDATA%, ~/Library/Application Support', () => {
    expect(userDataDir('linux', { XDG_DATA_HOME: '/x/data' }, '/home/u')).toBe('/x/data/hazard-notice');
    expect(userDataDir('linux', {}, '/home/u')).toBe('/home/u/.local/share/hazard-notice');
    expect(userDataDir('linux', { XDG_DATA_HOME: 'relative' }, '/home/u')).toBe('/home/u/.local/share/hazard-notice');
    expect(userDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\hazard-notice',
    );
    expect(userDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/hazard-notice');
  });

  test('the test run never uses a real home: HAZARD_NOTICE_DATA_DIR is the run scratch folder', () => {
    const dir = process.env.HAZARD_NOTICE_DATA_DIR!;
    expect(dir).toBeTruthy();
    expect(path.resolve(dir).startsWith(path.resolve(os.tmpdir()))).toBe(true);
  });
});
