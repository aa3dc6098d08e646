// The parts of an xlsx (an OPC zip package) as streams of text: yauzl reads the central directory, so parts
// are opened in the order the reader needs them, whatever their order in the zip; each part is inflated as a
// stream and decoded by one streaming TextDecoder, so a character split across two inflated chunks survives.
// A workbook of a few MB is read into memory whole, and each part of up to 1 MiB inflated at once (a county's list of
// a few thousand rows): the same parts and checks without thread-pool reads and an inflate stream per part (~20 ms).

import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { TextDecoder } from 'node:util';
import zlib from 'node:zlib';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import yauzl from 'yauzl';
import { HazardNoticeError } from '../errors';

/** Bytes inflated from all parts read, together: a zip bomb stops here, not at memory exhaustion. */
export const INFLATED_LIMIT = 1024 ** 3;
/** Bytes inflated from a part held in memory whole (shared strings, workbook, styles, relationships). */
export const HELD_PART_LIMIT = 256 * 1024 ** 2;

const STORED = 0;
const DEFLATED = 8;

/** A workbook up to this size is read whole. */
export const IN_MEMORY_MAX_BYTES = 4 * 1024 ** 2;
/** A part of a workbook read whole is inflated at once up to this size (larger ones stream, as from a file). */
const WHOLE_PART_MAX_BYTES = 1024 ** 2;

function corrupt(file: string, why: string): HazardNoticeError {
  return new HazardNoticeError('E_INPUT_READ', `无法读取 Excel 文件“${file}”：文件已损坏或不是 xlsx 格式（${why}）`, { file });
}

/** OLE compound files (D0 CF 11 E0): what Excel writes for a password-protected xlsx, and old .xls. */
function isCompoundFile(file: string): boolean {
  const head = Buffer.alloc(4);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  return head.readUInt32BE(0) === 0xd0cf11e0;
}

export interface PartOptions {
  /** Inflated bytes per chunk (tests use small sizes so characters are split between chunks). */
  chunkSize?: number;
  /** The part is held in memory whole: HELD_PART_LIMIT applies. */
  held?: boolean;
}

export class XlsxPackage {
  private inflated = 0;

  private constructor(
    readonly file: string,
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    /** The zip is in memory: parts are inflated at once. */
    private readonly inMemory: boolean,
  ) {}

  /** `inMemoryMaxBytes`: a file up to this size is read whole (tests set 0 to stream every workbook). */
  static async open(file: string, inMemoryMaxBytes = IN_MEMORY_MAX_BYTES): Promise<XlsxPackage> {
    let zip: yauzl.ZipFile;
    let inMemory = false;
    try {
      const options = { lazyEntries: true, autoClose: false, strictFileNames: false };
      const stat = fs.statSync(file);
      inMemory = stat.isFile() && stat.size <= inMemoryMaxBytes;
      zip = inMemory ? await yauzl.fromBufferPromise(fs.readFileSync(file), options) : await yauzl.openPromise(file, options);
    } catch (e) {
      if (!isCompoundFile(file)) throw corrupt(file, (e as Error).message);
      const why = '这是加密的 xlsx 或旧版 .xls 文件；请在 Excel 或 WPS 中取消密码，或另存为 .xlsx';
      throw new HazardNoticeError('E_INPUT_READ', `无法读取 Excel 文件“${file}”：${why}`, { file });
    }
    const entries = new Map<string, yauzl.Entry>();
    try {
      // OPC part names are case-insensitive
      for await (const entry of zip.eachEntry()) entries.set(entry.fileName.replace(/\\/g, '/').toLowerCase(), entry);
    } catch (e) {
      zip.close();
      throw corrupt(file, (e as Error).message);
    }
    return new XlsxPackage(file, zip, entries, inMemory);
  }

  close(): void {
    this.zip.close();
  }

  has(part: string): boolean {
    return this.entries.has(part.toLowerCase());
  }

  /** The text of one part, decoded as UTF-8 chunk by chunk with one decoder (a BOM is dropped). */
  async *text(part: string, options: PartOptions = {}): AsyncGenerator<string> {
    const entry = this.entries.get(part.toLowerCase());
    if (!entry) throw corrupt(this.file, `缺少“${part}”`);
    if (entry.isEncrypted()) {
      throw new HazardNoticeError('E_INPUT_READ', `无法读取 Excel 文件“${this.file}”：文件已加密；请在 Excel 或 WPS 中取消密码后另存`, {
        file: this.file,
      });
    }
    const limit = options.held ? HELD_PART_LIMIT : INFLATED_LIMIT;
    if (entry.uncompressedSize > limit || this.inflated + entry.uncompressedSize > INFLATED_LIMIT) throw this.tooLarge(part);
    const sizeLie = () => corrupt(this.file, `${part} 解压后的大小与记录的不符`);
    let body: AsyncIterable<Buffer> | Buffer[];
    try {
      const raw = await this.zip.openReadStreamPromise(entry, { decodeFileData: false });
      if (entry.compressionMethod === STORED) body = raw;
      else if (entry.compressionMethod !== DEFLATED) throw new Error(`不支持的压缩方式 ${entry.compressionMethod}`);
      else if (this.inMemory && entry.uncompressedSize <= WHOLE_PART_MAX_BYTES && options.chunkSize === undefined) {
        const whole = await inflatedWhole(raw, entry.uncompressedSize);
        if (!whole) throw sizeLie();
        body = [whole];
      } else body = pipeline(raw, zlib.createInflateRaw({ chunkSize: options.chunkSize }), () => {});
    } catch (e) {
      throw e instanceof HazardNoticeError ? e : corrupt(this.file, `${part}：${(e as Error).message}`);
    }
    const decoder = new TextDecoder('utf-8');
    let size = 0;
    try {
      for await (const chunk of body) {
        size += chunk.length;
        this.inflated += chunk.length;
        // The declared size was checked against the limits; more bytes than declared is a lie.
        if (size > entry.uncompressedSize) throw sizeLie();
        const text = decoder.decode(chunk, { stream: true });
        if (text !== '') yield text;
      }
    } catch (e) {
      throw e instanceof HazardNoticeError ? e : corrupt(this.file, `${part}：${(e as Error).message}`);
    }
    if (size !== entry.uncompressedSize) throw sizeLie();
    const rest = decoder.decode();
    if (rest !== '') yield rest;
  }

  private tooLarge(part: string): HazardNoticeError {
    const limit = (n: number) => (n >= 1024 ** 3 ? `${n / 1024 ** 3} GiB` : `${n / 1024 ** 2} MiB`);
    return new HazardNoticeError(
      'E_INPUT_READ',
      `无法读取 Excel 文件“${this.file}”：“${part}”解压后过大（所读各部分合计上限 ${limit(INFLATED_LIMIT)}，共享字符串表等整体读入的部分上限 ` +
        `${limit(HELD_PART_LIMIT)}），文件可能已损坏或是恶意构造的压缩包；请在 Excel 或 WPS 中打开后另存，或把名单分成几个文件`,
      { file: this.file, part },
    );
  }
}

/** A part's deflated bytes inflated at once; undefined when they inflate to more than declared (a lie, or a bomb). */
async function inflatedWhole(raw: AsyncIterable<Buffer>, declared: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of raw) chunks.push(chunk);
  try {
    return zlib.inflateRawSync(Buffer.concat(chunks), { maxOutputLength: Math.max(declared, 1) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    throw e;
  }
}

/** Resolves a relationship target against the folder of the part whose .rels file names it. */
export function resolveTarget(sourcePart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return path.posix.normalize(path.posix.join(path.posix.dirname(sourcePart), target));
}

/** An element's name without its namespace prefix. */
export const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** An attribute by local name, whatever its prefix (r:id, d3p1:id …). */
export function attribute(tag: SaxesTagPlain, local: string): string | undefined {
  for (const [key, value] of Object.entries(tag.attributes)) if (localName(key) === local) return value;
  return undefined;
}

export interface XmlHandler<T> {
  open?(name: string, tag: SaxesTagPlain, emit: (item: T) => void): void;
  close?(name: string, emit: (item: T) => void): void;
  text?(text: string): void;
}

/** SAX-parses a part's text; after each chunk, yields what the handler emitted. Malformed XML → E_INPUT_READ. */
export async function* parseXml<T>(pkg: XlsxPackage, part: string, handler: XmlHandler<T>, options: PartOptions = {}): AsyncGenerator<T> {
  const parser = new SaxesParser();
  let out: T[] = [];
  const emit = (item: T) => out.push(item);
  parser.on('opentag', (tag) => handler.open?.(localName(tag.name), tag, emit));
  parser.on('closetag', (tag) => handler.close?.(localName(tag.name), emit));
  if (handler.text) {
    parser.on('text', handler.text);
    parser.on('cdata', handler.text);
  }
  const feed = (write: () => void) => {
    try {
      write();
    } catch (e) {
      throw e instanceof HazardNoticeError ? e : corrupt(pkg.file, `${part}：${(e as Error).message}`);
    }
  };
  for await (const text of pkg.text(part, options)) {
    feed(() => parser.write(text));
    if (out.length > 0) {
      const items = out;
      out = [];
      yield* items;
    }
  }
  feed(() => parser.close());
  yield* out;
}

/** Everything a part's handler emits, for the small parts read whole. */
export async function collectXml<T>(pkg: XlsxPackage, part: string, handler: XmlHandler<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of parseXml(pkg, part, handler, { held: true })) items.push(item);
  return items;
}
