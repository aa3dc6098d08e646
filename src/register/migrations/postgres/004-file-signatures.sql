-- 4: signatures of signed files (letters and print volumes, `--sign`), by the signed file's SHA-256: the signer's
-- certificate fingerprint, the signing time and the SHA-256 of the unsigned file (the signed file's prefix).
CREATE TABLE file_signatures (
  sha256 TEXT PRIMARY KEY,
  certificate_sha256 TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  unsigned_sha256 TEXT NOT NULL
);
