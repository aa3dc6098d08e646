-- 3: the options a letter was made with (JSON, e.g. {"annex":true,"receipt":true,"pdfa":true}: its pages after the
-- letter and the PDF's kind), so a re-download remakes the same bytes; letters recorded before were the letter alone.
ALTER TABLE letters ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
