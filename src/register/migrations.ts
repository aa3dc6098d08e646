// The register's schema as versioned SQL files, one folder per dialect (migrations/sqlite, migrations/postgres), applied
// in order on open: NNN-name.sql is version NNN. Both dialects have the same versions. Never edit a released migration:
// add the next one to both folders (as 007-accounts.sql added users, sessions and the audit log).

import fs from 'node:fs';
import { bundledPath } from '../package-root';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE = /^(\d{3})-[a-z0-9-]+\.sql$/;
const cache = new Map<Dialect, readonly Migration[]>();

/** The dialect's migrations in version order (1, 2, … without a gap). */
export function migrations(dialect: Dialect): readonly Migration[] {
  let list = cache.get(dialect);
  if (list) return list;
  const dir = bundledPath('src', 'register', 'migrations', dialect);
  list = fs
    .readdirSync(dir)
    .filter((f) => FILE.test(f))
    .sort()
    .map((name, i) => {
      const version = Number(FILE.exec(name)![1]);
      if (version !== i + 1) throw new Error(`migrations/${dialect}: ${name} is not version ${i + 1}`);
      return { version, name, sql: fs.readFileSync(`${dir}/${name}`, 'utf8') };
    });
  if (list.length !== SCHEMA_VERSION) throw new Error(`migrations/${dialect}: ${list.length} files, SCHEMA_VERSION is ${SCHEMA_VERSION}`);
  cache.set(dialect, list);
  return list;
}

/** The schema version this code reads and writes (the same in both dialects). */
export const SCHEMA_VERSION = 7;
