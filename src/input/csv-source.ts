// CSV rows: encoding detected (UTF-8 BOM → UTF-8; valid UTF-8 → UTF-8; else GB18030, which covers GBK),
// then decoded and tokenised incrementally.

import fs from 'node:fs';
import { CsvTokenizer } from '../csv/parse';
import { HazardNoticeError } from '../errors';
import type { TableRow } from './table';
import { byteBlocks, encodingError, findDecodeFailure, startsWithUtf8Bom, textBlocks, type TextEncodingName } from './text-file';

/** Valid UTF-8 CJK characters, more than its undecodable sequences, that mark a broken UTF-8 file, not a GBK one. */
const UTF8_EVIDENCE_CHARS = 4;

/** Over the whole file read as UTF-8 (bad bytes replaced): CJK characters that decoded, and replacement characters. */
async function utf8Evidence(file: string): Promise<{ cjk: number; replaced: number }> {
  const decoder = new TextDecoder('utf-8');
  let cjk = 0;
  let replaced = 0;
  const count = (text: string) => {
    cjk += text.match(/[\u3400-\u9fff]/g)?.length ?? 0;
    replaced += text.match(/\uFFFD/g)?.length ?? 0;
  };
  for await (const { bytes } of byteBlocks(file)) count(decoder.decode(bytes, { stream: true }));
  count(decoder.decode());
  return { cjk, replaced };
}

function readHead(file: string, length: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(length);
    return head.subarray(0, fs.readSync(fd, head, 0, length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The file's encoding, decided before any row is read (a validating pass, no rows kept). Bytes that are not
 * valid in it do not refuse the file: they read as U+FFFD and their rows are rejected (E_INPUT_UNDECODABLE).
 * A file that is mostly valid UTF-8 (or has a BOM) with some bad bytes stays UTF-8 rather than being re-read as GBK.
 */
export async function detectCsvEncoding(file: string): Promise<TextEncodingName> {
  const head = readHead(file, 3);
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw encodingError(file, '文件是 UTF-16 编码（如 Excel 的“Unicode 文本”），不支持');
  }
  if (!(await findDecodeFailure(file, 'utf-8'))) return 'utf-8';
  if (startsWithUtf8Bom(head)) return 'utf-8';
  // GBK text read as UTF-8 is nearly all replacement characters; UTF-8 with a few stray bytes is nearly all CJK. Read
  // as GB18030, UTF-8 text would decode without an error into other characters: never guessed that way.
  const { cjk, replaced } = await utf8Evidence(file);
  return cjk >= UTF8_EVIDENCE_CHARS && cjk > replaced ? 'utf-8' : 'gb18030';
}

/** `chunkSize`: bytes per read, for tests. */
export async function* csvRows(file: string, encoding: TextEncodingName, chunkSize?: number): AsyncGenerator<TableRow> {
  const tokenizer = new CsvTokenizer(file);
  const toRow = (r: { fields: string[]; line: number }): TableRow => ({
    row: r.line,
    cells: r.fields.map((text) => ({ text, numeric: false })),
  });
  try {
    for await (const text of textBlocks(file, encoding, { replaceUndecodable: true, chunkSize })) {
      for (const r of tokenizer.push(text)) yield toRow(r);
    }
    for (const r of tokenizer.end()) yield toRow(r);
  } catch (e) {
    // Rows after an open quote cannot be told apart: the whole file is refused (README “逐行校验”), before any number.
    if (!(e instanceof HazardNoticeError) || e.code !== 'E_CSV_QUOTE') throw e;
    throw new HazardNoticeError(
      e.code,
      `${e.message}。为免各行错位或合并，整个文件未处理（未生成告知单、未编文号），改正后重新运行`,
      e.details,
    );
  }
}
