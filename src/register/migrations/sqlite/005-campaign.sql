-- 5: the campaign store (src/campaign/store.ts): the employer database by import, with every state dated so a past
-- date reproduces what was true then, and the declarations from the provincial platform.
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
