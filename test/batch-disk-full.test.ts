// A real disk that fills up mid-batch, then gets space back, then turns read-only: a 1.5 MB tmpfs in a private mount
// namespace (unshare -rm, so nothing is mounted outside this test and no root is needed where user namespaces are on).
// The CLI runs as a child process, as the user runs it: its message, its exit code, and the same command resuming.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { typescriptEntryScript } from '../src/batch/worker-pool';
import { readManifestJson, sha256File, tempDir, writeCsv } from './fixtures/batch/harness';

// One county with more letter jobs (8 letters each) than the batch keeps in flight (6 with --jobs 1), so a job fails
// while later ones are still being queued.
const LETTERS = 80;
const canMount = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs tmpfs /mnt'], { encoding: 'utf8' }).status === 0;
if (!canMount) console.warn('batch-disk-full: unshare -rm with a tmpfs mount is not permitted here, disk-full checks skipped');
const testMount = canMount ? test : test.skip;

function rows(): string[][] {
  return Array.from({ length: LETTERS }, (_, i) => [
    `柳州满盘测试${String.fromCharCode(0x4e00 + ((i * 41) % 500))}机械厂${i + 1}`,
    '',
    'C3311',
    '城中区',
    '',
    '',
    '噪声',
  ]);
}

const read = (file: string) => fs.readFileSync(file, 'utf8');
const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('错误') || /内部错误|\s+at /.test(l));

testMount(
  'disk full mid-batch: a Chinese message, exit 2; the same command resumes once space is freed; read-only disk',
  () => {
    const host = tempDir('disk-full');
    const disk = path.join(host, 'disk');
    fs.mkdirSync(disk);
    const input = writeCsv(host, 'list.csv', rows());
    const script = `
    run() { name=$1; shift; node -e "$HN_ENTRY" "$@" > "$HOST/$name.out" 2> "$HOST/$name.err"; echo $? > "$HOST/$name.code"; }
    mount -t tmpfs -o size=1536k tmpfs "$DISK" || exit 1
    run full batch "$INPUT" --out "$DISK/out" --date 2026-11-29 --jobs 1 --data-dir "$DISK/data"
    ls -A "$DISK/out" > "$HOST/full.ls"
    mount -o remount,size=64m "$DISK" || exit 1
    run resumed batch "$INPUT" --out "$DISK/out" --date 2026-11-29 --jobs 1 --data-dir "$DISK/data"
    cp -a "$DISK/out" "$HOST/out"
    mount -o remount,ro "$DISK" || exit 1
    run roletter letter --name 柳州市某某家具有限公司 --industry C2110 --county 柳城县 --out "$DISK/letters" --data-dir "$DISK/data"
    run robatch batch "$INPUT" --out "$DISK/out" --date 2026-11-30 --jobs 1 --data-dir "$DISK/data"
  `;
    const entry = typescriptEntryScript(path.join(__dirname, 'fixtures', 'cli-child.ts'));
    const env = { ...process.env, HN_ENTRY: entry, HOST: host, DISK: disk, INPUT: input };
    const sh = spawnSync('unshare', ['-rm', 'sh', '-c', script], { env, encoding: 'utf8', timeout: 240_000 });
    expect(sh.status).toBe(0);

    // Full: one Chinese error saying the disk is full, where, and that the same command resumes; no stack trace.
    expect(read(path.join(host, 'full.code')).trim()).toBe('2');
    const full = errorLines(read(path.join(host, 'full.err')));
    expect(full).toHaveLength(1);
    expect(full[0]).toMatch(new RegExp(`^错误（E_DISK_FULL）：磁盘已满.*“${disk}/out/[^”]+”.*同一命令重新运行.*续做`));
    expect(read(path.join(host, 'full.ls'))).toMatch(/城中区/); // it stopped mid-way, some letters written

    // Space freed, same command: every letter made, the ones made before kept, numbers unique and gap-free.
    expect(read(path.join(host, 'resumed.err'))).not.toMatch(/错误/);
    expect(read(path.join(host, 'resumed.code')).trim()).toBe('0');
    const kept = Number(/其中 (\d+) 份为上次已完成/.exec(read(path.join(host, 'resumed.out')))![1]);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(LETTERS);
    const out = path.join(host, 'out');
    const m = readManifestJson(out);
    expect(m.letters).toHaveLength(LETTERS);
    for (const l of m.letters) for (const f of l.files) expect(sha256File(path.join(out, f.path))).toBe(f.sha256);
    const seqs = m.letters.map((l) => Number(/〔2026〕(\d+)号/.exec(l.docNumber)![1]));
    expect(seqs).toEqual(Array.from({ length: LETTERS }, (_, i) => i + 1));
    const walk = (d: string): string[] =>
      fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [e.name]));
    expect(walk(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // Read-only disk: letter and batch (whose register is there) say so, naming the path.
    for (const [name, where] of [
      ['roletter', `${disk}/data/register.sqlite`],
      ['robatch', `${disk}/data/register.sqlite`],
    ]) {
      expect(read(path.join(host, `${name}.code`)).trim()).toBe('2');
      const lines = errorLines(read(path.join(host, `${name}.err`)));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^错误（E_FS_READ_ONLY）：.*只读/);
      expect(lines[0]).toContain(where);
    }
  },
  300_000,
);
