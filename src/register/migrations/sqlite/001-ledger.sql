-- 1: the document-number ledger (numbers issued; files each batch wrote; the batch that owns an output folder).
-- Version 1 is the batch ledger of 0.1 (user_version 0, its tables created IF NOT EXISTS), so a .ledger.sqlite made by
-- older versions opens and migrates in place.
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
