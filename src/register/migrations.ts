// The register's schema as an ordered list of migrations; PRAGMA user_version is the number applied.
// Never edit a migration once released: add the next one. Version 1 is the batch ledger of 0.1 (user_version 0,
// its tables created IF NOT EXISTS), so a .ledger.sqlite made by older versions opens and migrates in place.

export const MIGRATIONS: readonly string[] = [
  // 1: the document-number ledger (numbers issued; files each batch wrote; the batch that owns an output folder).
  `
  CREATE TABLE IF NOT EXISTS numbers (
    bureau TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    employer_key TEXT NOT NULL,
    letter_date TEXT NOT NULL,
    template_id TEXT NOT NULL,
    PRIMARY KEY (bureau, year, seq),
    UNIQUE (bureau, employer_key, letter_date, template_id)
  );
  CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    batch_id TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS outputs (
    out_dir TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL
  );
  `,
  // 2: the register of letters issued (one per number: a number issued again records its latest letter) and their files.
  `
  CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    bureau TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    doc_number TEXT NOT NULL,
    employer_key TEXT NOT NULL,
    name TEXT NOT NULL,
    uscc TEXT,
    county_code TEXT NOT NULL,
    county_name TEXT NOT NULL,
    township TEXT,
    address TEXT,
    industry_code TEXT NOT NULL,
    industry_path TEXT NOT NULL,
    hazards TEXT NOT NULL,
    diseases TEXT NOT NULL,
    catalogue TEXT NOT NULL,
    template_id TEXT NOT NULL,
    template_dir TEXT NOT NULL,
    config_file TEXT NOT NULL,
    config_sha256 TEXT NOT NULL,
    letter_date TEXT NOT NULL,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('batch', 'cli', 'web')),
    source_file TEXT,
    source_row INTEGER,
    batch_id TEXT,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (bureau, year, seq),
    FOREIGN KEY (bureau, year, seq) REFERENCES numbers (bureau, year, seq)
  );
  CREATE INDEX letters_newest ON letters (created_at DESC, id DESC);
  CREATE INDEX letters_county_date ON letters (county_code, letter_date);
  CREATE INDEX letters_uscc ON letters (uscc);
  CREATE TABLE letter_files (
    letter_id INTEGER NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
    format TEXT NOT NULL CHECK (format IN ('pdf', 'docx')),
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (letter_id, format)
  );
  `,
  // 3: the options a letter was made with (JSON, e.g. {"annex":true,"receipt":true,"pdfa":true}: its pages after the
  // letter and the PDF's kind), so a re-download remakes the same bytes; letters recorded before were the letter alone.
  `
  ALTER TABLE letters ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
  `,
  // 4: signatures of signed files (letters and print volumes, `--sign`), by the signed file's SHA-256: the signer's
  // certificate fingerprint, the signing time and the SHA-256 of the unsigned file (the signed file's prefix).
  `
  CREATE TABLE file_signatures (
    sha256 TEXT PRIMARY KEY,
    certificate_sha256 TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    unsigned_sha256 TEXT NOT NULL
  );
  `,
  // 5: the campaign store (src/campaign/store.ts): the employer database by import, with every state dated so a past
  // date reproduces what was true then, and the declarations from the provincial platform.
  `
  CREATE TABLE campaign_imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('employers', 'declarations')),
    event_date TEXT NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE campaign_employers (
    id INTEGER PRIMARY KEY,
    uscc TEXT UNIQUE,
    county_code TEXT NOT NULL,
    name_key TEXT NOT NULL
  );
  CREATE INDEX campaign_employers_name ON campaign_employers (county_code, name_key);
  CREATE TABLE campaign_states (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES campaign_employers (id),
    event_date TEXT NOT NULL,
    import_id INTEGER NOT NULL REFERENCES campaign_imports (id),
    removed INTEGER NOT NULL CHECK (removed IN (0, 1)),
    data TEXT NOT NULL
  );
  CREATE INDEX campaign_states_employer ON campaign_states (employer_id, event_date, id);
  CREATE TABLE campaign_declarations (
    id INTEGER PRIMARY KEY,
    employer_id INTEGER NOT NULL REFERENCES campaign_employers (id),
    declared_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    matched_by TEXT NOT NULL CHECK (matched_by IN ('uscc', 'name')),
    import_id INTEGER NOT NULL REFERENCES campaign_imports (id),
    source_row INTEGER NOT NULL,
    UNIQUE (employer_id, declared_on, kind)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
