-- 7: accounts (users scoped to counties), their sessions, an audit log, and who issued each letter.
-- counties: JSON array of county codes (empty for 市级管理员); password_hash: scrypt$N$r$p$salt$hash (base64).
CREATE TABLE users (
  login TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('市级管理员', '县区工作人员', '执法人员')),
  counties TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- A session: the SHA-256 of its random id (the cookie holds the id itself), its CSRF token, when it ends.
CREATE TABLE sessions (
  id_sha256 TEXT PRIMARY KEY,
  login TEXT NOT NULL REFERENCES users (login),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_login ON sessions (login);
-- Logins (ok / failed), letters issued, re-downloads, failed permission checks.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  login TEXT,
  client TEXT,
  event TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX audit_log_login ON audit_log (event, login, at);
CREATE INDEX audit_log_client ON audit_log (event, client, at);
ALTER TABLE letters ADD COLUMN issued_by TEXT;
