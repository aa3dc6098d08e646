// --pdfa through every entry point: the letter command, the batch (letters and print volumes, in the batch's thread
// and in worker threads), the web API; the register records it, so a re-download remakes the same PDF/A bytes.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Register } from '../src/register/register';
import { runCli } from './cli-run';
import { batch, dataDirOf, listOutputs, MAIN_ROWS, readManifestJson, tempDir, writeCsv } from './fixtures/batch/harness';
import { webApp } from './web/web-harness';

/** What marks a file as PDF/A-2b here: the XMP claim and the output intent in the catalog. */
function isPdfa(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes).toString('latin1');
  return text.includes('<pdfaid:part>2</pdfaid:part>') && /\/OutputIntents \[\d+ 0 R\]/.test(text);
}

/** Every PDF of a batch output folder. */
const pdfsOf = (out: string) => listOutputs(out).filter((f) => f.endsWith('.pdf'));

/** Deletes each letter's kept PDF and has the register make it again: the same bytes, PDF/A or not as recorded. */
async function remakeEach(register: Register, ids: number[], pdfa: boolean): Promise<void> {
  for (const id of ids) {
    const letter = (await register.letter(id))!;
    expect(letter.render).toEqual(pdfa ? { pdfa: true } : {});
    const file = letter.files.find((f) => f.format === 'pdf')!;
    const original = fs.readFileSync(file.path);
    expect(isPdfa(original)).toBe(pdfa);
    fs.rmSync(file.path);
    const kept = await register.fileFor(id, 'pdf');
    expect(kept.remade).toBe(true);
    expect(Buffer.from(kept.bytes).equals(original)).toBe(true);
  }
}

describe('batch --pdfa', () => {
  const dir = tempDir('pdfa');
  const input = writeCsv(dir, 'employers.csv', MAIN_ROWS);

  it.each([
    ['in the batch thread', {}],
    ['in worker threads', { jobs: 2, inThreadMaxLetters: 0 }],
  ])('makes every letter and print volume PDF/A-2b %s; the register remakes them alike', async (_, threads) => {
    const out = path.join(dir, `out-${Object.keys(threads).length}`);
    await batch(input, out, { render: { pdfa: true }, ...threads });
    const pdfs = pdfsOf(out);
    expect(pdfs.some((f) => f.includes('打印合订本'))).toBe(true);
    for (const f of pdfs) expect({ f, pdfa: isPdfa(fs.readFileSync(path.join(out, f))) }).toEqual({ f, pdfa: true });
    const register = await Register.inDataDir(dataDirOf(out));
    try {
      const ids = (await register.search({ pageSize: 200 })).rows.filter((r) => r.source.kind === 'batch').map((r) => r.id);
      expect(ids.length).toBeGreaterThan(0);
      await remakeEach(register, ids.slice(0, 2), true);
    } finally {
      await register.close();
    }
  });

  it('is another batch than the same list without --pdfa (files are not kept across)', async () => {
    const plain = path.join(dir, 'plain');
    await batch(input, plain);
    const pdfa = path.join(dir, 'pdfa-again');
    await batch(input, pdfa, { render: { pdfa: true } });
    expect(readManifestJson(plain).batchId).not.toBe(readManifestJson(pdfa).batchId);
    for (const f of pdfsOf(plain)) expect(isPdfa(fs.readFileSync(path.join(plain, f)))).toBe(false);
  });
});

describe('letter --pdfa and the web API', () => {
  it('the letter command writes a PDF/A-2b letter and records it', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-pdfa-letter-'));
    const data = path.join(out, 'data');
    const args = ['letter', '--name', '柳州市甲厂', '--industry', 'C3011', '--county', '柳城', '--date', '2026-11-29'];
    const r = await runCli(...args, '--format', 'pdf', '--pdfa', '--out', out, '--data-dir', data);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(isPdfa(fs.readFileSync(path.join(out, '职业病危害项目申报告知单_柳州市甲厂.pdf')))).toBe(true);
    const register = await Register.inDataDir(data);
    try {
      await remakeEach(register, [(await register.search({})).rows[0].id], true);
    } finally {
      await register.close();
    }
  });

  it('POST /api/letters with "pdfa": true issues a PDF/A letter; without it, a plain one; re-downloads remake each', async () => {
    const web = await webApp();
    try {
      const ids: Record<string, number> = {};
      for (const [name, pdfa] of [
        ['柳城甲水泥有限公司', true],
        ['柳城乙水泥有限公司', false],
      ] as const) {
        const res = await web.app.inject({
          method: 'POST',
          url: '/api/letters',
          payload: { name, industry: 'C3011', county: '柳城县', date: '2026-11-29', formats: ['pdf'], ...(pdfa ? { pdfa } : {}) },
        });
        expect(res.statusCode).toBe(201);
        ids[String(pdfa)] = res.json().id;
        const pdf = await web.app.inject({ method: 'GET', url: res.json().files[0].url });
        expect(isPdfa(pdf.rawPayload)).toBe(pdfa);
      }
      const bad = await web.app.inject({
        method: 'POST',
        url: '/api/letters',
        payload: { name: '丙', industry: 'C3011', county: '柳城县', pdfa: 'yes' },
      });
      expect([bad.statusCode, bad.json().field]).toEqual([400, 'pdfa']);
      const register = await Register.inDataDir(web.dataDir);
      try {
        await remakeEach(register, [ids.true], true);
        await remakeEach(register, [ids.false], false);
      } finally {
        await register.close();
      }
    } finally {
      await web.app.close();
    }
  });
});
