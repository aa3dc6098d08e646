-- 2: the register of letters issued (one per number: a number issued again records its latest letter) and their files.
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
