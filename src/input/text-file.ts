// Text inputs read as a byte stream in blocks that end at a line feed, decoded block by block.
// 0x0A is never part of a multi-byte character in UTF-8 or GB18030, so every block decodes on its own
// and a decoding error can be pinned to its line.

import fs from 'node:fs';
import { TextDecoder } from 'node:util';
import { HazardNoticeError } from '../errors';

export type TextEncodingName = 'utf-8' | 'gb18030';

const READ_CHUNK = 256 * 1024;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** `chunkSize`: bytes per read (tests use small sizes so characters are split between reads). */
export async function* byteBlocks(file: string, chunkSize = READ_CHUNK): AsyncGenerator<{ bytes: Buffer; firstLine: number }> {
  let pending: Buffer[] = []; // read since the last line feed, joined once a line feed comes
  let line = 1;
  const emit = (bytes: Buffer) => {
    const block = { bytes, firstLine: line };
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) line++;
    return block;
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: chunkSize }) as AsyncIterable<Buffer>) {
    const cut = chunk.lastIndexOf(0x0a) + 1;
    if (cut === 0) {
      pending.push(chunk);
      continue;
    }
    const block = pending.length > 0 ? Buffer.concat([...pending, chunk.subarray(0, cut)]) : chunk.subarray(0, cut);
    pending = cut < chunk.length ? [chunk.subarray(cut)] : [];
    yield emit(block);
  }
  if (pending.length > 0) yield emit(Buffer.concat(pending));
}

export function startsWithUtf8Bom(bytes: Buffer): boolean {
  return UTF8_BOM.every((b, i) => bytes[i] === b);
}

/** Line (1-based) of the first byte sequence in `bytes` that `decoder` rejects. */
function badLine(decoder: TextDecoder, bytes: Buffer, firstLine: number): number {
  let start = 0;
  let line = firstLine;
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end < 0 ? bytes.length : end + 1;
    try {
      decoder.decode(bytes.subarray(start, stop));
    } catch {
      return line;
    }
    if (end < 0) return line;
    start = stop;
    line++;
  }
}

function decoderFor(encoding: TextEncodingName, fatal = true): TextDecoder {
  return new TextDecoder(encoding, { fatal, ignoreBOM: true });
}

export type DecodeFailure = { line: number; textBefore: string };

/**
 * Checks that the whole file decodes in `encoding`. On failure returns the bad line and up to
 * `keepBefore` characters of the text decoded before it (for telling GBK from broken UTF-8).
 */
export async function findDecodeFailure(file: string, encoding: TextEncodingName, keepBefore = 4096): Promise<DecodeFailure | undefined> {
  const decoder = decoderFor(encoding);
  let before = '';
  for await (const { bytes, firstLine } of byteBlocks(file)) {
    const body = firstLine === 1 && startsWithUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
    try {
      const text = decoder.decode(body);
      if (before.length < keepBefore) before += text.slice(0, keepBefore - before.length);
    } catch {
      const line = badLine(decoder, body, firstLine);
      let goodPart = '';
      try {
        goodPart = decoder.decode(body.subarray(0, lineStart(body, line - firstLine)));
      } catch {
        goodPart = '';
      }
      return { line, textBefore: (before + goodPart).slice(0, keepBefore) };
    }
  }
  return undefined;
}

/** Byte offset where the n-th line (0-based) of `bytes` starts. */
function lineStart(bytes: Buffer, n: number): number {
  let at = 0;
  for (let i = 0; i < n; i++) at = bytes.indexOf(0x0a, at) + 1;
  return at;
}

export interface TextBlockOptions {
  /** Undecodable bytes become U+FFFD (for the row checks to reject) instead of failing the file. */
  replaceUndecodable?: boolean;
  chunkSize?: number;
}

/** Decoded text of the file in line-aligned blocks (a UTF-8 BOM is dropped). */
export async function* textBlocks(file: string, encoding: TextEncodingName, options: TextBlockOptions = {}): AsyncGenerator<string> {
  const decoder = decoderFor(encoding, !options.replaceUndecodable);
  for await (const { bytes, firstLine } of byteBlocks(file, options.chunkSize)) {
    const body = firstLine === 1 && encoding === 'utf-8' && startsWithUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
    let text: string;
    try {
      text = decoder.decode(body);
    } catch {
      throw encodingError(
        file,
        `第 ${badLine(decoder, body, firstLine)} 行含有不是 ${encoding === 'utf-8' ? 'UTF-8' : 'GBK/GB18030'} 编码的字节`,
      );
    }
    yield text;
  }
}

export function encodingError(file: string, reason: string): HazardNoticeError {
  return new HazardNoticeError('E_INPUT_ENCODING', `无法识别“${file}”的文字编码：${reason}；请在 Excel 或 WPS 中另存为“CSV UTF-8”或 xlsx`, {
    file,
  });
}
