// RFC 4180 CSV tokenizer, incremental: feed text chunks, get complete records back. A quoted field may span lines;
// a quote left open, or text after a closing quote, is an error naming the line where the quote opened: past it the
// record boundaries are unknowable, so the text is refused rather than rows merged or split by guess.

import { HazardNoticeError } from '../errors';

export interface CsvRecord {
  fields: string[];
  /** 1-based line number where the record starts (a quoted field may span lines). */
  line: number;
}

export class CsvTokenizer {
  /** `source` names the text in errors (the file). */
  constructor(private readonly source: string) {}

  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  private quotePending = false; // saw a quote inside a quoted field: either "" or the closing quote
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1; // where the open quoted field began
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
          this.inQuotes = false; // closing quote: a field separator or a line end must follow
          if (c !== ',' && c !== '\n' && c !== '\r') throw this.quoteError(`在第 ${this.line} 行闭合后紧跟着“${c}”，不是逗号或换行`);
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
        this.quoteLine = this.line;
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
    if (this.inQuotes) throw this.quoteError('直到文件末尾都没有闭合');
    if (this.fieldStarted || this.fields.length > 0) this.endRecord(out);
    return out;
  }

  private quoteError(what: string): HazardNoticeError {
    const line = this.quoteLine;
    return new HazardNoticeError(
      'E_CSV_QUOTE',
      `“${this.source}”第 ${line} 行有一个英文双引号（"）开始的单元格${what}，其后各行无法可靠地分开。` +
        `请修改第 ${line} 行：单元格内容中的双引号写成两个（""），或删去多余的引号`,
      { file: this.source, line },
    );
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
export function parseCsv(text: string, source: string): CsvRecord[] {
  const t = new CsvTokenizer(source);
  return [...t.push(text.replace(/^\uFEFF/, '')), ...t.end()];
}
