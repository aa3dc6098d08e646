// Committed reference files (test/baselines/): a missing one fails the test; only a run told to record
// baselines (UPDATE_BASELINES=1) writes them.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The committed baseline at `file`. With UPDATE_BASELINES=1, `actual` is recorded there first. */
export function readBaseline(file: string, actual: Uint8Array): Buffer {
  if (process.env.UPDATE_BASELINES === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    console.log(`wrote baseline ${file}`);
  } else if (!fs.existsSync(file)) {
    throw new Error(`baseline ${file} is missing: record it with UPDATE_BASELINES=1, check it and commit it`);
  }
  return fs.readFileSync(file);
}
