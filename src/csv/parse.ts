// RFC 4180 CSV tokenizer, incremental: feed text chunks, get complete records back.

export interface CsvRecord {
  fields: string[];
  /** 1-based line number where the record starts (a quoted field may span lines). */
  line: number;
}

export class CsvTokenizer {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  private quotePending = false; // saw a quote inside a quoted field: either "" or the closing quote
  private line = 1;
  private recordLine = 1;
  private pendingCR = false;
  private fieldStarted = false;

  /** Consumes a chunk; returns the records completed by it. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === '\n') continue; // CRLF already ended the record
      }
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false; // closing quote; fall through to handle c unquoted
        } else if (c === '"') {
          this.quotePending = true;
          continue;
        } else {
          if (c === '\n') this.line++;
          this.field += c;
          continue;
        }
      }
      if (c === ',') {
        this.endField();
      } else if (c === '\n' || c === '\r') {
        this.endRecord(out);
        this.line++;
        this.recordLine = this.line;
        if (c === '\r') this.pendingCR = true;
      } else if (c === '"' && !this.fieldStarted) {
        this.inQuotes = true;
        this.fieldStarted = true;
      } else {
        this.field += c;
        this.fieldStarted = true;
      }
    }
    return out;
  }

  /** Flushes the last record (a file need not end with a newline). */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    if (this.fieldStarted || this.fields.length > 0) this.endRecord(out);
    return out;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.fieldStarted = false;
  }

  private endRecord(out: CsvRecord[]): void {
    this.endField();
    const blank = this.fields.length === 1 && this.fields[0] === '';
    if (!blank) out.push({ fields: this.fields, line: this.recordLine });
    this.fields = [];
  }
}

/** Parses a whole CSV text (blank lines are skipped). */
export function parseCsv(text: string): CsvRecord[] {
  const t = new CsvTokenizer();
  return [...t.push(text.replace(/^\uFEFF/, '')), ...t.end()];
}
