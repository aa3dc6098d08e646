// The campaign store: the employer database and the declarations, in the register's storage (migration 5: SQLite or
// PostgreSQL, the same statements), so letters, employers and declarations share one database and one schema version.
//
// History: an employer's attributes are kept as dated states (one per import that changed them; a removal by
// `--prune` is a state too), declarations carry their declaration date and letters their letter date, so the state
// as of any past date is what was true then.

import { Register, type RegisterOptions } from '../register/register';
import type { Storage } from '../register/storage';

/** An employer as one import gave it (what a state holds). */
export interface EmployerState {
  name: string;
  uscc?: string;
  countyCode: string;
  countyName: string;
  township?: string;
  address?: string;
  /** Resolved GB/T 4754 code (C3011, C30, B) and name; absent when the database gives no industry. */
  industry?: { code: string; name: string };
  workers?: number;
  hazards?: string[];
  /** Names of the flags set (see data/campaign-groups.yaml flags). */
  flags: string[];
}

/** The keys an employer is matched by: USCC, else county + normalised name. */
export interface EmployerIdentity {
  id: number;
  uscc?: string;
  countyCode: string;
  nameKey: string;
}

/** A letter of the register, as the campaign matches it to employers. */
export interface NoticeRow {
  uscc?: string;
  countyCode: string;
  name: string;
  date: string;
  docNumber: string;
}

export type ImportKind = 'employers' | 'declarations';

/**
 * How names are compared (employers, declarations, letters): NFKC (full-width letters, digits, brackets （） and spaces
 * become half-width), white space removed, the brackets 【】〔〕[] read as ( ), Latin letters upper-cased.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[[【〔]/g, '(')
    .replace(/[\]】〕]/g, ')')
    .toUpperCase();
}

/** Finds employers by USCC, else by county + normalised name. */
export class IdentityIndex {
  private readonly byUscc = new Map<string, EmployerIdentity>();
  private readonly byName = new Map<string, EmployerIdentity[]>();

  constructor(identities: EmployerIdentity[]) {
    for (const i of identities) this.add(i);
  }

  add(i: EmployerIdentity): void {
    if (i.uscc) this.byUscc.set(i.uscc, i);
    const key = `${i.countyCode}|${i.nameKey}`;
    this.byName.set(key, [...(this.byName.get(key) ?? []), i]);
  }

  remove(i: EmployerIdentity): void {
    if (i.uscc) this.byUscc.delete(i.uscc);
    const key = `${i.countyCode}|${i.nameKey}`;
    this.byName.set(
      key,
      (this.byName.get(key) ?? []).filter((x) => x !== i),
    );
  }

  /**
   * A USCC finds the employer with it, else one of that county and name without a USCC; no USCC finds the one
   * employer of that county and name. Several of that county and name (different USCCs): 'ambiguous'.
   */
  find(uscc: string | undefined, countyCode: string, key: string): EmployerIdentity | 'ambiguous' | undefined {
    if (uscc) {
      const hit = this.byUscc.get(uscc);
      if (hit) return hit;
    }
    const named = this.named(countyCode, key).filter((i) => !uscc || !i.uscc);
    if (named.length > 1) return 'ambiguous';
    return named[0];
  }

  withUscc(uscc: string): EmployerIdentity | undefined {
    return this.byUscc.get(uscc);
  }

  named(countyCode: string, key: string): EmployerIdentity[] {
    return this.byName.get(`${countyCode}|${key}`) ?? [];
  }
}

export class CampaignStore {
  private readonly db: Storage;

  private constructor(
    readonly register: Register,
    private readonly clock: () => Date,
  ) {
    this.db = register.storage;
  }

  /** The store in a data directory's register, or in the database `options.database` names (created and migrated as needed). */
  static async inDataDir(dataDir: string, options: RegisterOptions = {}): Promise<CampaignStore> {
    return new CampaignStore(await Register.inDataDir(dataDir, options), options.clock ?? (() => new Date()));
  }

  /** The store in a register already open (the web app's): the register's owner closes it, not the store. */
  static over(register: Register): CampaignStore {
    return new CampaignStore(register, () => new Date());
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.register.transaction(fn);
  }

  /** The latest event date of imports of a kind (imports of employers must not go back in time). */
  async latestImportDate(kind: ImportKind): Promise<string | undefined> {
    const row = await this.db.get<{ d: string | null }>('SELECT max(event_date) AS d FROM campaign_imports WHERE kind = ?', [kind]);
    return row?.d ?? undefined;
  }

  async addImport(kind: ImportKind, date: string, file: string, sha256: string): Promise<number> {
    const row = await this.db.get<{ id: number }>(
      'INSERT INTO campaign_imports (kind, event_date, file, sha256, summary, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      [kind, date, file, sha256, '{}', this.clock().toISOString()],
    );
    return row!.id;
  }

  async setImportSummary(id: number, summary: object): Promise<void> {
    await this.db.run('UPDATE campaign_imports SET summary = ? WHERE id = ?', [JSON.stringify(summary), id]);
  }

  async identities(): Promise<EmployerIdentity[]> {
    const rows = await this.db.all<{ id: number; uscc: string | null; county_code: string; name_key: string }>(
      'SELECT id, uscc, county_code, name_key FROM campaign_employers ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, uscc: r.uscc ?? undefined, countyCode: r.county_code, nameKey: r.name_key }));
  }

  async addEmployer(identity: Omit<EmployerIdentity, 'id'>): Promise<number> {
    const row = await this.db.get<{ id: number }>(
      'INSERT INTO campaign_employers (uscc, county_code, name_key) VALUES (?, ?, ?) RETURNING id',
      [identity.uscc ?? null, identity.countyCode, identity.nameKey],
    );
    return row!.id;
  }

  async setIdentity(identity: EmployerIdentity): Promise<void> {
    await this.db.run('UPDATE campaign_employers SET uscc = ?, county_code = ?, name_key = ? WHERE id = ?', [
      identity.uscc ?? null,
      identity.countyCode,
      identity.nameKey,
      identity.id,
    ]);
  }

  /** Each employer's state as of `asOf` (the latest dated on or before it; default: the latest of all), removed ones included. */
  async statesAsOf(asOf?: string): Promise<Map<number, { removed: boolean; data: string }>> {
    const rows = await this.db.all<{ employer_id: number; removed: number; data: string }>(
      `SELECT employer_id, removed, data FROM campaign_states ${asOf ? 'WHERE event_date <= ?' : ''}
       ORDER BY employer_id, event_date, id`,
      asOf ? [asOf] : [],
    );
    const states = new Map<number, { removed: boolean; data: string }>();
    for (const r of rows) states.set(r.employer_id, { removed: r.removed === 1, data: r.data });
    return states;
  }

  /** Employers in the database as of `asOf`: the latest state on or before it, unless that is a removal. */
  async employersAsOf(asOf: string): Promise<Map<number, EmployerState>> {
    const present = new Map<number, EmployerState>();
    for (const [id, s] of await this.statesAsOf(asOf)) if (!s.removed) present.set(id, JSON.parse(s.data) as EmployerState);
    return present;
  }

  /** `data` is the state's JSON (compared as text by the import to tell unchanged from updated). */
  async addState(employerId: number, date: string, importId: number, removed: boolean, data: string): Promise<void> {
    await this.db.run('INSERT INTO campaign_states (employer_id, event_date, import_id, removed, data) VALUES (?, ?, ?, ?, ?)', [
      employerId,
      date,
      importId,
      removed ? 1 : 0,
      data,
    ]);
  }

  /** Records a declaration; false when the same employer, date and type were recorded before. */
  async addDeclaration(d: {
    employerId: number;
    date: string;
    kind: string;
    matchedBy: 'uscc' | 'name';
    importId: number;
    row: number;
  }): Promise<boolean> {
    const changes = await this.db.run(
      `INSERT INTO campaign_declarations (employer_id, declared_on, kind, matched_by, import_id, source_row)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (employer_id, declared_on, kind) DO NOTHING`,
      [d.employerId, d.date, d.kind, d.matchedBy, d.importId, d.row],
    );
    return changes === 1;
  }

  /** Each employer's first declaration date, of those on or before `asOf`. */
  async firstDeclarations(asOf: string): Promise<Map<number, string>> {
    const rows = await this.db.all<{ employer_id: number; d: string }>(
      'SELECT employer_id, min(declared_on) AS d FROM campaign_declarations WHERE declared_on <= ? GROUP BY employer_id',
      [asOf],
    );
    return new Map(rows.map((r) => [r.employer_id, r.d]));
  }

  /** Letters of the register dated on or before `asOf`, oldest first. */
  async notices(asOf: string): Promise<NoticeRow[]> {
    const rows = await this.db.all<{ uscc: string | null; county_code: string; name: string; letter_date: string; doc_number: string }>(
      `SELECT uscc, county_code, name, letter_date, doc_number FROM letters WHERE letter_date <= ?
       ORDER BY letter_date, bureau, year, seq`,
      [asOf],
    );
    return rows.map((r) => ({
      uscc: r.uscc ?? undefined,
      countyCode: r.county_code,
      name: r.name,
      date: r.letter_date,
      docNumber: r.doc_number,
    }));
  }

  close(): Promise<void> {
    return this.register.close();
  }
}
