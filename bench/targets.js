// The start-up targets of issue 14, each as whole processes of the installed CLI (bin/ → dist/): median wall time
// and CPU time (user + system, all threads) over --runs runs (default 5), run interleaved so load affects all alike.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { settleDisk } = require('./disk');

const root = path.join(__dirname, '..');
const bin = path.join(root, 'bin', 'hazard-notice.js');
const preload = path.join(__dirname, 'process-usage.js');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/**
 * [label, limit in seconds, CLI arguments for run r]. Every run writes into a folder of its own, all removed at the end:
 * on this machine's journal-less ext4, files created just after hundreds were deleted cost 0.5–2 ms each (the inode
 * allocator steps over recently deleted inodes), which clearing the output folder before each run would add to it.
 */
function targets(scratch) {
  const out = (name, r) => path.join(scratch, `${name}-${r}`);
  const workbook300 = path.join(root, '.bench', 'employers-300.xlsx');
  return [
    ['industry C3011', 0.3, () => ['industry', 'C3011']],
    ['hazard 71-43-2', 0.3, () => ['hazard', '71-43-2']],
    [
      'letter (PDF + DOCX)',
      0.6,
      (r) => [
        'letter',
        '--name',
        '柳州市恒通机械有限公司',
        '--industry',
        'C3011',
        '--county',
        '城中区',
        '--date',
        '2026-11-29',
        '--out',
        out('letter', r),
      ],
    ],
    [
      'batch: 20-row sample',
      1.0,
      (r) => ['batch', path.join(root, 'examples', 'sample-employers.xlsx'), '--date', '2026-11-29', '--out', out('sample', r)],
    ],
    ['batch: 300 rows', 1.5, (r) => ['batch', workbook300, '--date', '2026-11-29', '--out', out('b300', r)]],
  ];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function runOnce(args, usageFile, dataDir) {
  fs.rmSync(usageFile, { force: true });
  const t0 = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ['--require', preload, bin, ...args], {
    env: { ...process.env, HAZARD_NOTICE_USAGE: usageFile, HAZARD_NOTICE_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (res.status !== 0) throw new Error(`hazard-notice ${args.join(' ')} exited ${res.status}: ${res.stderr}`);
  const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
  return { wall, cpu: usage.cpuSeconds, rssMb: usage.maxRssMb };
}

async function main() {
  const runs = Number(arg('runs', 5));
  // Under .bench/ like the other benches' output (and a user's out/): on this VM the system temp folder, where the
  // test suite makes and deletes thousands of files, makes each new file cost several times as much.
  const benchDir = path.join(root, '.bench');
  fs.mkdirSync(benchDir, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(benchDir, 'targets-'));
  const usageFile = path.join(scratch, 'usage.json');
  // A register of the bench's own, never the user's (numbers and letters as a county's would have them).
  const dataDir = path.join(scratch, 'data');
  const list = targets(scratch).map(([label, limit, args]) => ({ label, limit, args, wall: [], cpu: [], rss: [] }));
  let disk;
  try {
    disk = await settleDisk(scratch);
    for (let r = 0; r < runs; r++) {
      for (const t of list) {
        const m = runOnce(t.args(r), usageFile, dataDir);
        t.wall.push(m.wall);
        t.cpu.push(m.cpu);
        t.rss.push(m.rssMb);
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const lines = [
    `start-up targets (whole processes, median of ${runs}; ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)}; ${disk.text}):`,
  ];
  lines.push(`${'target'.padEnd(24)}${'limit'.padStart(8)}${'wall'.padStart(9)}${'cpu'.padStart(9)}${'max RSS'.padStart(10)}`);
  for (const t of list) {
    const wall = median(t.wall);
    const mark = wall <= t.limit ? 'met' : 'MISSED';
    lines.push(
      `${t.label.padEnd(24)}${`${t.limit.toFixed(2)} s`.padStart(8)}${`${wall.toFixed(2)} s`.padStart(9)}` +
        `${`${median(t.cpu).toFixed(2)} s`.padStart(9)}${`${median(t.rss).toFixed(0)} MB`.padStart(10)}  ${mark}`,
    );
  }
  lines.push('2,000 and 10,000 rows (≥ 240 letters/s, memory flat): npm run bench -- --letters 2000 / --letters 10000');
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
