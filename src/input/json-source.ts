// JSON input: a top-level array of objects, split element by element over the bytes so that only
// one element's text is held at a time.

import fs from 'node:fs';
import { TextDecoder } from 'node:util';
import { HazardNoticeError } from '../errors';
import type { KeyedElement } from './keyed';
import { encodingError, startsWithUtf8Bom } from './text-file';

const enum Ch {
  LF = 0x0a,
  Quote = 0x22,
  Backslash = 0x5c,
  Comma = 0x2c,
  OpenBracket = 0x5b,
  CloseBracket = 0x5d,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

export interface JsonElementText {
  index: number; // 0-based position in the array
  line: number; // 1-based line where the element starts
  text: string;
}

function syntaxError(file: string, line: number, reason: string): HazardNoticeError {
  return new HazardNoticeError('E_INPUT_SYNTAX', `JSON 文件“${file}”第 ${line} 行：${reason}`, { file, line });
}

/**
 * Yields the text of each top-level array element. Tracks strings and nesting only; each element's
 * own syntax is left to JSON.parse.
 */
export async function* jsonArrayElements(file: string): AsyncGenerator<JsonElementText> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  type State = 'start' | 'beforeElement' | 'element' | 'done';
  let state = 'start' as State;
  let line = 1;
  let index = 0;
  let depth = 0; // nesting inside the current element
  let inString = false;
  let escaped = false;
  let parts: Buffer[] = [];
  let elementLine = 1;
  let first = true;

  const finishElement = (chunk: Buffer, end: number, start: number): JsonElementText => {
    parts.push(chunk.subarray(start, end));
    let text: string;
    try {
      text = decoder.decode(Buffer.concat(parts));
    } catch {
      throw encodingError(file, `第 ${elementLine} 行起的元素含有无效的 UTF-8 字节（JSON 文件须为 UTF-8 编码）`);
    }
    parts = [];
    return { index: index++, line: elementLine, text: text.trimEnd() };
  };

  for await (const raw of fs.createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    const chunk = first && startsWithUtf8Bom(raw) ? raw.subarray(3) : raw;
    first = false;
    let elementStart = state === 'element' ? 0 : -1;
    const out: JsonElementText[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (b === Ch.Backslash) escaped = true;
          else if (b === Ch.Quote) inString = false;
        } else if (b === Ch.Quote) inString = true;
        else if (b === Ch.OpenBrace || b === Ch.OpenBracket) depth++;
        else if ((b === Ch.CloseBrace || b === Ch.CloseBracket) && depth > 0) depth--;
        else if (depth === 0 && (b === Ch.Comma || b === Ch.CloseBracket)) {
          out.push(finishElement(chunk, i, elementStart));
          elementStart = -1;
          state = b === Ch.Comma ? 'beforeElement' : 'done';
        }
      } else if (!isSpace(b)) {
        if (state === 'start') {
          if (b !== Ch.OpenBracket)
            throw new HazardNoticeError('E_INPUT_FORMAT', `JSON 文件“${file}”的顶层应为数组（[ {…}, {…} ]），每个元素是一个单位`, { file });
          state = 'beforeElement';
        } else if (state === 'done') {
          throw syntaxError(file, line, '数组结束（]）之后还有多余的内容');
        } else if (b === Ch.CloseBracket && index === 0) {
          state = 'done';
        } else if (b === Ch.Comma || b === Ch.CloseBracket) {
          throw syntaxError(file, line, '多余的逗号（数组中有空元素）');
        } else {
          state = 'element';
          elementStart = i;
          elementLine = line;
          depth = 0;
          inString = false;
          escaped = false;
          i--; // let the element state see its first byte
        }
      }
      if (b === Ch.LF) line++;
    }
    if (state === 'element') parts.push(chunk.subarray(elementStart));
    yield* out;
  }
  if (state === 'start') throw new HazardNoticeError('E_INPUT_FORMAT', `JSON 文件“${file}”是空的`, { file });
  if (state !== 'done') throw syntaxError(file, line, '文件在数组结束（]）之前就结束了，文件可能不完整');
}

/** Parsed elements for the keyed reader; a malformed element is an error for its row only. */
export async function* jsonElements(file: string): AsyncGenerator<KeyedElement> {
  for await (const { index, line, text } of jsonArrayElements(file)) {
    try {
      yield { row: index + 1, line, value: JSON.parse(text) };
    } catch (e) {
      yield { row: index + 1, line, code: 'E_ROW_SYNTAX', reason: `不是有效的 JSON（${(e as Error).message}）` };
    }
  }
}
