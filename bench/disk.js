// What a new file costs in a folder, and waiting until it costs what it normally does. On this VM's root file system
// (ext4 without a journal) a file created in a block group where files were deleted in the last ~30 s costs 0.5–2 ms
// of kernel time instead of ~0.03 ms (ext4 steps over recently deleted inodes one by one): a run started right after
// another one's output was deleted measures the disk, not the tool (600 files of a 300-row batch: 0.3–1 s). The
// benches probe their scratch folder first and wait (up to maxWaitSec) while new files are slow; the probe files stay
// until the bench removes its scratch folder at the end (deleting them would start the wait again).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const PROBE_FILES = 200;

/** Milliseconds per empty file created in a new folder under `dir` (the folder is kept: see above). */
function creationCost(dir) {
  const probe = fs.mkdtempSync(path.join(dir, 'disk-probe-'));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < PROBE_FILES; i++) fs.writeFileSync(path.join(probe, String(i)), '');
  return Number(process.hrtime.bigint() - t0) / 1e6 / PROBE_FILES;
}

/** Probes `dir` until a new file costs at most `healthyMs` (or `maxWaitSec` passed); the last cost and the wait. */
async function settleDisk(dir, { healthyMs = 0.15, maxWaitSec = 60 } = {}) {
  let waited = 0;
  let ms = creationCost(dir);
  while (ms > healthyMs && waited < maxWaitSec) {
    await sleep(5000);
    waited += 5;
    ms = creationCost(dir);
  }
  return {
    ms,
    waitedSec: waited,
    text: `new file ${ms.toFixed(2)} ms${waited ? ` (after waiting ${waited} s for deletions to age)` : ''}`,
  };
}

module.exports = { settleDisk };
