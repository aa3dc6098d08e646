// Tests that need an external program. When it is missing they are skipped with test.skip / describe.skip,
// never passed: jest counts them, `npm test` ends with "N skipped", and under CI they count as failed
// (scripts/install-test-deps.sh installs every program named here).
import { spawnSync } from 'node:child_process';

/** Whether `command args` runs and exits 0; warns, naming the Debian package, when it does not. */
export function hasTool(command: string, args: string[], debianPackage: string): boolean {
  const ok = spawnSync(command, args, { stdio: 'ignore' }).status === 0;
  if (!ok) console.warn(`${command} not found (Debian package ${debianPackage}): the tests that need it are skipped`);
  return ok;
}
