// PostgreSQL in the tests: a throwaway cluster (postgres-cluster.ts) per test file that needs one. When the binaries are
// missing (Debian package postgresql), those tests are skipped (counted as skipped; under CI as failed:
// scripts/install-test-deps.sh installs postgresql).

import { POSTGRES_BIN, PostgresCluster } from './postgres-cluster';

export { PostgresCluster } from './postgres-cluster';

/** Whether the PostgreSQL server binaries are here; warns, naming the Debian package, when not. */
export function hasPostgres(): boolean {
  if (!POSTGRES_BIN) console.warn('initdb/pg_ctl not found (Debian package postgresql): the PostgreSQL tests are skipped');
  return POSTGRES_BIN !== undefined;
}

/** describe, or describe.skip without PostgreSQL. */
export const describePostgres = (name: string, fn: () => void) => (hasPostgres() ? describe : describe.skip)(name, fn);

export interface Backend {
  kind: 'sqlite' | 'postgres';
  /** A new empty database: a PostgreSQL URL (after beforeAll), or undefined for SQLite (the data directory's file). */
  fresh(): Promise<string | undefined>;
  /** The cluster (PostgreSQL only; set in beforeAll). */
  cluster(): PostgresCluster | undefined;
}

/**
 * The storage tests on both backends: `fn` defines them once, in a describe for SQLite and one for PostgreSQL (a
 * throwaway cluster started before them and removed after; the describe skipped without the binaries).
 */
export function eachBackend(title: string, fn: (backend: Backend) => void): void {
  describe(`${title} [sqlite]`, () => fn({ kind: 'sqlite', fresh: async () => undefined, cluster: () => undefined }));
  (hasPostgres() ? describe : describe.skip)(`${title} [postgres]`, () => {
    let cluster: PostgresCluster | undefined;
    beforeAll(async () => {
      cluster = await PostgresCluster.create();
    }, 60_000);
    afterAll(() => cluster?.destroy());
    fn({ kind: 'postgres', fresh: () => cluster!.createDatabase(), cluster: () => cluster });
  });
}
