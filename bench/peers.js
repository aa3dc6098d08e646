#!/usr/bin/env node
// The peer comparison of issue 14: the same N rows through hazard-notice and through the peers, each a whole process
// timed from start to exit, one at a time. `npm run bench -- --peers [--sizes 1,20,300,2000] [--runs N] [--limit S]`
// or `node bench/peers.js …` (after `npm run build`): median of --runs runs (default 3 up to 300 rows, else 1); a run
// past --limit seconds (default 600) is killed and shows as '>limit'.
//
// The peers are installed into .bench/peers (never into the project's dependencies). Each size's rows are the batch
// bench's synthetic workbook (bench/batch.ts); the letter text for the peers is taken, untimed, from hazard-notice's
// own DOCX letters for those rows, so every tool sets the same text in the same bundled fonts:
// - hazard-notice `batch` (PDF + DOCX, print volumes, manifest), and `--format pdf` / `--format docx`;
// - pdfme: one PDF per letter, and one merged PDF of N pages (template: the letter's blocks on A4, FandolFang body,
//   FandolSong title, as in the letter);
// - docxtemplater: one DOCX per letter from a template made of a hazard-notice letter with {placeholders};
// - LibreOffice: the N DOCX letters converted to PDF by soffice over lists of files (private profile, bundled fonts).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout, clearTimeout } = require('node:timers');
const { settleDisk } = require('./disk');

const root = path.join(__dirname, '..');
const bench = path.join(root, '.bench');
const peersDir = path.join(bench, 'peers');
const work = path.join(peersDir, 'work');
const bin = path.join(root, 'bin', 'hazard-notice.js');
const fontconfig = path.join(root, 'fonts', 'fontconfig', 'fonts.conf');
const DATE = '2026-11-29';
const PEERS = ['@pdfme/generator@6.1.13', '@pdfme/common@6.1.13', '@pdfme/schemas@6.1.13', 'docxtemplater@3.71.1', 'pizzip@3.3.0'];

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

// ---- letter text: taken from hazard-notice's DOCX letters ----

const XML_ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => XML_ENTITIES[e]);

/** The paragraphs of a DOCX document.xml as plain text, in order. */
function paragraphTexts(documentXml) {
  return [...documentXml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) =>
    [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescapeXml(t[1])).join(''),
  );
}

function docxFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.docx'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Per size (untimed): hazard-notice's DOCX letters for the rows → letters.json (texts), a flat folder of the DOCX
 *  files (LibreOffice's input) and the docxtemplater template (the first letter with {p0}…{pK} placeholders). */
function prepare(size, workbook) {
  const { unzipSync, strFromU8, zipSync, strToU8 } = require('fflate');
  const dir = path.join(work, String(size));
  const lettersFile = path.join(dir, 'letters.json');
  if (fs.existsSync(lettersFile)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const made = path.join(dir, 'hn-docx');
  const res = hazardNotice(['batch', workbook, '--date', DATE, '--out', made, '--format', 'docx'], path.join(dir, 'data'));
  if (res.status !== 0) throw new Error(`hazard-notice batch (prepare ${size}) exited ${res.status}: ${res.stderr}`);
  const flat = path.join(dir, 'docx');
  fs.mkdirSync(flat, { recursive: true });
  const letters = docxFiles(made).map((file, i) => {
    const name = String(i + 1).padStart(5, '0');
    fs.copyFileSync(file, path.join(flat, `${name}.docx`));
    return { name, paragraphs: paragraphTexts(strFromU8(unzipSync(fs.readFileSync(file))['word/document.xml'])) };
  });
  if (letters.length !== size) throw new Error(`prepare ${size}: hazard-notice made ${letters.length} letters`);
  // The template: each paragraph's runs become one run (the first run's properties) holding {pK}.
  const first = unzipSync(fs.readFileSync(docxFiles(made)[0]));
  let k = 0;
  const xml = strFromU8(first['word/document.xml']).replace(/<w:p[ >][\s\S]*?<\/w:p>/g, (p) => {
    const start = p.search(/<w:(r|hyperlink)[ >]/);
    const props = /<w:rPr>[\s\S]*?<\/w:rPr>/.exec(p);
    return `${p.slice(0, start)}<w:r>${props ? props[0] : ''}<w:t xml:space="preserve">{p${k++}}</w:t></w:r></w:p>`;
  });
  first['word/document.xml'] = strToU8(xml);
  fs.writeFileSync(path.join(dir, 'template.docx'), zipSync(first));
  fs.writeFileSync(lettersFile, JSON.stringify(letters));
  fs.rmSync(made, { recursive: true, force: true });
  return dir;
}

function hazardNotice(args, dataDir) {
  return spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, HAZARD_NOTICE_DATA_DIR: dataDir },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
}

// ---- the peers' jobs (run in a child process: `node bench/peers.js --job <name> --dir <size dir> --out <dir>`) ----

const fontsDir = path.join(root, 'fonts');

/** pdfme template: the letter's blocks on an A4 page at the letter's positions (GB/T 9704 margins and grid). */
function pdfmeTemplate(paragraphCount) {
  const field = (name, y, height, extra) => ({
    name,
    type: 'text',
    position: { x: 28, y },
    width: 156,
    height,
    fontSize: 16,
    lineHeight: 1.8,
    fontName: 'FandolFang',
    ...extra,
  });
  const bodyCount = paragraphCount - 5; // title, number, salutation … signature, date
  return {
    basePdf: { width: 210, height: 297, padding: [0, 0, 0, 0] },
    schemas: [
      [
        field('title', 37, 16, { fontSize: 22, alignment: 'center', fontName: 'FandolSong', lineHeight: 1 }),
        field('number', 56, 10, { alignment: 'center' }),
        field('salutation', 76, 10),
        field('body', 86, 170 - 86 + 40, { alignment: 'justify' }),
        field('signature', 230, 10, { alignment: 'right', width: 156 - 11.3 }),
        field('date', 240, 10, { alignment: 'right', width: 156 - 11.3 }),
      ],
    ],
    bodyCount,
  };
}

function pdfmeInput(paragraphs, bodyCount) {
  const p = paragraphs;
  return {
    title: p[0],
    number: p[1],
    salutation: p[2],
    body: p
      .slice(3, 3 + bodyCount)
      .map((t) => `\u3000\u3000${t}`)
      .join('\n'),
    signature: p[3 + bodyCount],
    date: p[4 + bodyCount],
  };
}

async function pdfmeJob(dir, out, merged) {
  const { generate } = await import(require.resolve('@pdfme/generator', { paths: [peersDir] }));
  const { text } = await import(require.resolve('@pdfme/schemas', { paths: [peersDir] }));
  const letters = JSON.parse(fs.readFileSync(path.join(dir, 'letters.json'), 'utf8'));
  const { bodyCount, ...template } = pdfmeTemplate(letters[0].paragraphs.length);
  const font = {
    FandolFang: { data: fs.readFileSync(path.join(fontsDir, 'FandolFang-Regular.otf')), fallback: true, subset: true },
    FandolSong: { data: fs.readFileSync(path.join(fontsDir, 'FandolSong-Bold.otf')), subset: true },
  };
  const inputs = letters.map((l) => pdfmeInput(l.paragraphs, bodyCount));
  const options = { font, title: '职业病危害项目申报告知单' };
  if (merged) {
    fs.writeFileSync(path.join(out, 'letters.pdf'), await generate({ template, inputs, options, plugins: { text } }));
    return;
  }
  for (let i = 0; i < letters.length; i++) {
    const pdf = await generate({ template, inputs: [inputs[i]], options, plugins: { text } });
    fs.writeFileSync(path.join(out, `${letters[i].name}.pdf`), pdf);
  }
}

function docxtemplaterJob(dir, out) {
  const PizZip = require(require.resolve('pizzip', { paths: [peersDir] }));
  const Docxtemplater = require(require.resolve('docxtemplater', { paths: [peersDir] }));
  const template = fs.readFileSync(path.join(dir, 'template.docx'));
  for (const letter of JSON.parse(fs.readFileSync(path.join(dir, 'letters.json'), 'utf8'))) {
    const doc = new Docxtemplater(new PizZip(template), { paragraphLoop: true });
    doc.render(Object.fromEntries(letter.paragraphs.map((t, i) => [`p${i}`, t])));
    fs.writeFileSync(path.join(out, `${letter.name}.docx`), doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' }));
  }
}

/** soffice stops converting, with exit code 0, after about 250 files of a list (LibreOffice 7.4 here): the N files
 *  go in lists of 200, one soffice process after another. */
const SOFFICE_LIST = 200;

function libreofficeJob(dir, out) {
  const files = docxFiles(path.join(dir, 'docx'));
  for (let i = 0; i < files.length; i += SOFFICE_LIST) {
    const res = spawnSync('soffice', soffice(out, files.slice(i, i + SOFFICE_LIST)), {
      env: { ...process.env, FONTCONFIG_FILE: fontconfig },
      stdio: 'ignore',
    });
    if (res.status !== 0) throw new Error(`soffice exited ${res.status}`);
  }
}

const loProfile = path.join(peersDir, 'lo-profile');
const soffice = (out, files) => [
  `-env:UserInstallation=file://${loProfile}`,
  '--headless',
  '--convert-to',
  'pdf',
  '--outdir',
  out,
  ...files,
];

// ---- timing ----

/** Runs a command as its own process group; wall seconds, or timedOut (the group killed) past limitSec. */
function timed(command, args, env, limitSec) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(command, args, { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid, 'SIGKILL');
    }, limitSec * 1000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (timedOut) resolve({ wall, timedOut });
      else if (code !== 0) reject(new Error(`${path.basename(command)} ${args.join(' ').slice(0, 200)} exited ${code}: ${stderr}`));
      else resolve({ wall, timedOut });
    });
  });
}

const countFiles = (dir, ext) => fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(ext)).length;

/** The first row of a workbook as `letter` takes it on the command line (the officer's one letter). */
async function firstRow(workbook) {
  const { readEmployers } = require(path.join(root, 'dist', 'input', 'read-employers.js'));
  for await (const item of readEmployers(workbook)) if (item.kind === 'record') return item.record;
  throw new Error(`${workbook}: no row`);
}

/**
 * The tools, each: output kind, and a run (prepared size folder, clean output folder) → process to time + check.
 * `only1`: a run for one row only (`letter`, given the row's values on the command line).
 */
function tools(row) {
  const self = (job) => (dir, out) => ({
    command: process.execPath,
    args: [path.join(__dirname, 'peers.js'), '--job', job, '--dir', dir, '--out', out],
  });
  const hn = (format) => (dir, out, workbook, dataDir) => ({
    command: process.execPath,
    args: [bin, 'batch', workbook, '--date', DATE, '--out', out, ...(format ? ['--format', format] : [])],
    env: { HAZARD_NOTICE_DATA_DIR: dataDir }, // a fresh register each run
  });
  const letter = (format) => (dir, out, workbook, dataDir) => ({
    command: process.execPath,
    args: [
      bin,
      'letter',
      ...['--name', row.name, '--industry', row.industry, '--county', row.county, ...(row.uscc ? ['--uscc', row.uscc] : [])],
      ...(row.hazards?.length ? ['--hazards', row.hazards.join('、')] : []),
      ...['--date', DATE, '--out', out, ...(format ? ['--format', format] : [])],
    ],
    env: { HAZARD_NOTICE_DATA_DIR: dataDir },
  });
  return [
    { id: 'hn', label: 'hazard-notice PDF+DOCX', kind: 'pdf+docx', run: hn(), check: (o, n) => countFiles(o, '.docx') === n },
    {
      id: 'hn-letter',
      label: '`letter` PDF+DOCX',
      kind: 'pdf+docx',
      only1: true,
      run: letter(),
      check: (o) => countFiles(o, '.docx') === 1,
    },
    { id: 'hn-letter-pdf', label: '`letter` PDF', kind: 'pdf', only1: true, run: letter('pdf'), check: (o) => countFiles(o, '.pdf') === 1 },
    {
      id: 'hn-letter-docx',
      label: '`letter` DOCX',
      kind: 'docx',
      only1: true,
      run: letter('docx'),
      check: (o) => countFiles(o, '.docx') === 1,
    },
    { id: 'hn-pdf', label: 'hazard-notice PDF', kind: 'pdf', run: hn('pdf'), check: (o, n) => countFiles(o, '.pdf') >= n },
    { id: 'hn-docx', label: 'hazard-notice DOCX', kind: 'docx', run: hn('docx'), check: (o, n) => countFiles(o, '.docx') === n },
    { id: 'pdfme', label: 'pdfme, PDF each', kind: 'pdf', peer: true, run: self('pdfme'), check: (o, n) => countFiles(o, '.pdf') === n },
    {
      id: 'pdfme-merged',
      label: 'pdfme, merged PDF',
      kind: 'pdf',
      peer: true,
      run: self('pdfme-merged'),
      check: (o) => countFiles(o, '.pdf') === 1,
    },
    {
      id: 'docxtemplater',
      label: 'docxtemplater DOCX',
      kind: 'docx',
      peer: true,
      run: self('docxtemplater'),
      check: (o, n) => countFiles(o, '.docx') === n,
    },
    {
      id: 'libreoffice',
      label: 'LibreOffice DOCX→PDF',
      kind: 'pdf',
      peer: true,
      run: self('libreoffice'),
      check: (o, n) => countFiles(o, '.pdf') === n,
    },
  ];
}

function installPeers() {
  const marker = path.join(peersDir, 'installed.json');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === JSON.stringify(PEERS)) return;
  process.stdout.write(`installing peers into ${path.relative(root, peersDir)}: ${PEERS.join(' ')}\n`);
  fs.mkdirSync(peersDir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, ['install', '--prefix', peersDir, '--no-audit', '--no-fund', '--no-save', ...PEERS], { stdio: 'inherit' });
  if (res.status !== 0) throw new Error('npm install of the peers failed');
  fs.writeFileSync(marker, JSON.stringify(PEERS));
}

/** The batch bench's synthetic workbook of n rows (compiled by bench/run.js into .bench/build). */
function workbook(n) {
  const file = path.join(bench, `employers-${n}.xlsx`);
  if (fs.existsSync(file)) return file;
  const batchBench = path.join(bench, 'build', 'bench', 'batch.js');
  const script = fs.existsSync(batchBench) ? [batchBench] : [path.join(__dirname, 'run.js')];
  const res = spawnSync(process.execPath, [...script, '--letters', String(n), '--make-only'], { stdio: 'inherit', cwd: root });
  if (res.status !== 0 || !fs.existsSync(file)) throw new Error(`could not make ${file}`);
  return file;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const sizes = arg('sizes', '1,20,300,2000,10000').split(',').map(Number);
  const limitSec = Number(arg('limit', 600));
  if (!fs.existsSync(path.join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run npm run build first');
  installPeers();
  const list = tools(await firstRow(workbook(1)));
  const results = {}; // size → id → { wall, timedOut, runs }
  const runsDir = path.join(work, 'runs');
  fs.rmSync(runsDir, { recursive: true, force: true });
  fs.mkdirSync(runsDir, { recursive: true });
  const disks = [];
  for (const n of sizes) {
    const runs = Number(arg('runs', n <= 300 ? 3 : 1));
    const book = workbook(n);
    const dir = prepare(n, book);
    disks.push((await settleDisk(runsDir)).ms); // after the deletions above and in prepare (see bench/disk.js)
    if (!fs.existsSync(loProfile)) {
      // First start of a LibreOffice profile (untimed): an office user has one already.
      const warm = path.join(work, 'lo-warm');
      await timed('soffice', soffice(warm, docxFiles(path.join(dir, 'docx')).slice(0, 1)), { FONTCONFIG_FILE: fontconfig }, 300);
    }
    results[n] = {};
    for (const tool of list.filter((t) => n === 1 || !t.only1)) {
      const walls = [];
      let timedOut = false;
      for (let r = 0; r < runs && !timedOut; r++) {
        // A fresh output folder (and register) each run, all removed at the end: on a journal-less ext4, files made just
        // after thousands were deleted cost 0.5-2 ms each to create (recently deleted inodes are stepped over).
        const out = path.join(runsDir, `${n}-${tool.id}-${r}`);
        fs.mkdirSync(out, { recursive: true });
        const { command, args, env } = tool.run(dir, out, book, path.join(runsDir, `${n}-${tool.id}-${r}-data`));
        const res = await timed(command, args, env, limitSec);
        timedOut = res.timedOut;
        if (!timedOut && !tool.check(out, n)) throw new Error(`${tool.label} at ${n} rows: output incomplete in ${out}`);
        walls.push(res.wall);
      }
      results[n][tool.id] = { wall: timedOut ? limitSec : median(walls), timedOut, runs: walls.length };
      const r = results[n][tool.id];
      process.stderr.write(`${n} rows, ${tool.label}: ${r.timedOut ? `>${limitSec} s` : `${r.wall.toFixed(2)} s`} (${r.runs} run(s))\n`);
    }
  }
  fs.rmSync(runsDir, { recursive: true, force: true });
  process.stdout.write(report(sizes, list, results, limitSec, disks));
}

function report(sizes, list, results, limitSec, disks) {
  const cell = (n, id) => {
    const r = results[n][id];
    if (!r) return '—';
    return r.timedOut ? `>${limitSec} s` : `${r.wall.toFixed(2)} s, ${(n / r.wall).toFixed(1)}/s`;
  };
  const [load1, load5] = os.loadavg();
  const runs = arg('runs') ? `median of ${arg('runs')}` : 'median of 3 up to 300 rows, else 1 run';
  const lines = [
    `peer comparison (whole processes, wall seconds and letters/s; ${runs}; ` +
      `${os.availableParallelism()} cores, load ${load1.toFixed(1)} / ${load5.toFixed(1)} at the end; ` +
      `${new Date().toISOString().slice(0, 10)}; new file ${disks.map((ms) => ms.toFixed(2)).join('/')} ms before each size)`,
  ];
  const width = 26;
  lines.push(['tool'.padEnd(24), ...sizes.map((n) => `${n} rows`.padStart(width))].join(''));
  for (const t of list) lines.push([t.label.padEnd(24), ...sizes.map((n) => cell(n, t.id).padStart(width))].join(''));
  // Best peer per output kind, and whether hazard-notice beats it.
  const best = (n, kind) =>
    list.filter((t) => t.peer && t.kind === kind).reduce((a, b) => (results[n][b.id].wall < results[n][a.id].wall ? b : a));
  lines.push('');
  for (const n of sizes) {
    const parts = [];
    // hazard-notice's best way to the output: `batch`, or for one row also `letter`.
    const ours = (...ids) => Math.min(...ids.filter((id) => results[n][id]).map((id) => results[n][id].wall));
    for (const [kind, hnIds] of [
      ['pdf', ['hn-pdf', 'hn-letter-pdf']],
      ['docx', ['hn-docx', 'hn-letter-docx']],
    ]) {
      const b = best(n, kind);
      const hnWall = ours(...hnIds);
      const peerWall = results[n][b.id].wall;
      parts.push(
        `${kind.toUpperCase()}: best peer ${b.label} ${peerWall.toFixed(2)} s, hazard-notice ${hnWall.toFixed(2)} s ` +
          `${hnWall < peerWall ? 'wins' : 'LOSES'} (${(peerWall / hnWall).toFixed(2)}× the peer's rate)`,
      );
    }
    const both = results[n][best(n, 'pdf').id].wall + results[n][best(n, 'docx').id].wall;
    const hnBoth = ours('hn', 'hn-letter');
    parts.push(`both: peers ${both.toFixed(2)} s, hazard-notice ${hnBoth.toFixed(2)} s ${hnBoth < both ? 'wins' : 'LOSES'}`);
    lines.push(`${n} rows — ${parts.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}

async function job() {
  const name = arg('job');
  const dir = arg('dir');
  const out = arg('out');
  if (name === 'pdfme') await pdfmeJob(dir, out, false);
  else if (name === 'pdfme-merged') await pdfmeJob(dir, out, true);
  else if (name === 'docxtemplater') docxtemplaterJob(dir, out);
  else if (name === 'libreoffice') libreofficeJob(dir, out);
  else throw new Error(`unknown job ${name}`);
}

(arg('job') ? job() : main()).catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
