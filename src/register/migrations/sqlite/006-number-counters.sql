-- 6: each bureau's yearly sequence as a counter row (the last number issued), locked by the transaction that issues
-- the next one; started from the numbers issued so far.
CREATE TABLE number_counters (
  bureau TEXT NOT NULL,
  year INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  PRIMARY KEY (bureau, year)
);
INSERT INTO number_counters (bureau, year, last_seq) SELECT bureau, year, max(seq) FROM numbers GROUP BY bureau, year;
