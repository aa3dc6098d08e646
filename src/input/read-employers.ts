// Entry point: employer lists from xlsx, csv (UTF-8/GBK), json and yaml → one item per data row.

import fs from 'node:fs';
import path from 'node:path';
import { HazardNoticeError } from '../errors';
import { loadColumnsSpec } from './columns-file';
import type { ExtraColumns, HeaderInfo } from './header';
import { readKeyed } from './keyed';
import type { InputFormat, ReadItem } from './record';
import { readTable } from './table';

export type { ReadItem } from './record';
export type { HeaderInfo } from './header';

export interface ReadOptions {
  /** xlsx only: sheet name (default: the first sheet). */
  sheet?: string;
  /** YAML file describing the columns (see columns-file.ts). */
  columnsFile?: string;
  /** Called once with the header found: which columns feed which field, which are ignored. */
  onHeader?(info: HeaderInfo): void;
  /** Columns read beyond the record's fields, by label (see ExtraColumns); their values land in record.extra. */
  extraColumns?: ExtraColumns;
  /** A row with a USCC but no name is a record, not E_NAME_MISSING (declaration exports). */
  nameOptional?: boolean;
}

const FORMATS: Record<string, InputFormat> = { '.xlsx': 'xlsx', '.csv': 'csv', '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' };

function formatOf(file: string): InputFormat {
  const ext = path.extname(file).toLowerCase();
  const format = FORMATS[ext];
  if (format) return format;
  const hint = ext === '.xls' || ext === '.et' ? '；请在 Excel 或 WPS 中另存为 .xlsx' : '';
  throw new HazardNoticeError(
    'E_INPUT_FORMAT',
    `不支持的输入文件类型“${ext || '（无扩展名）'}”：${file}（支持 .xlsx、.csv、.json、.yaml/.yml）${hint}`,
    { file },
  );
}

function checkReadable(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '文件不存在' : code === 'EACCES' ? '没有读取权限' : `读取失败（${code ?? String(e)}）`;
    throw new HazardNoticeError('E_INPUT_READ', `无法读取输入文件“${file}”：${why}`, { file });
  }
  if (!stat.isFile()) throw new HazardNoticeError('E_INPUT_READ', `无法读取输入文件“${file}”：这是一个文件夹，不是文件`, { file });
}

/**
 * Reads employer rows in file order, streaming. Every data row yields exactly one item: a record, or
 * the row's first problem (E_INPUT_UNDECODABLE, E_NAME_MISSING, E_USCC_EXCEL, E_USCC_LENGTH, E_USCC_CHARSET, E_USCC_CHECK;
 * JSON/YAML also E_ROW_SYNTAX, E_ROW_NOT_OBJECT, E_ROW_VALUE). Blank rows yield nothing.
 * File-level problems throw HazardNoticeError: E_INPUT_FORMAT, E_INPUT_READ, E_INPUT_ENCODING,
 * E_INPUT_HEADER, E_INPUT_HEADER_DUPLICATE, E_INPUT_SHEET, E_INPUT_SYNTAX, E_COLUMNS_FILE.
 */
export async function* readEmployers(file: string, options: ReadOptions = {}): AsyncGenerator<ReadItem> {
  const format = formatOf(file);
  checkReadable(file);
  if (options.sheet !== undefined && format !== 'xlsx') {
    throw new HazardNoticeError('E_INPUT_SHEET', `--sheet 只适用于 xlsx 文件，“${file}”不是 xlsx 文件`, { file });
  }
  const spec = options.columnsFile !== undefined ? loadColumnsSpec(options.columnsFile) : undefined;
  const tableOptions = {
    spec,
    columnsFile: options.columnsFile,
    onHeader: options.onHeader,
    extraColumns: options.extraColumns,
    nameOptional: options.nameOptional,
  };
  // Each format's reader is loaded only for its files (the xlsx reader's unzip and XML parser, the yaml package).
  switch (format) {
    case 'csv': {
      const { csvRows, detectCsvEncoding } = require('./csv-source') as typeof import('./csv-source');
      const encoding = await detectCsvEncoding(file);
      yield* readTable(csvRows(file, encoding), { file, format }, tableOptions);
      return;
    }
    case 'xlsx': {
      const { xlsxSheetRows } = require('./xlsx-source') as typeof import('./xlsx-source');
      const ctx: { file: string; format: InputFormat; sheet?: string } = { file, format };
      yield* readTable(
        xlsxSheetRows(file, options.sheet, (name) => (ctx.sheet = name)),
        ctx,
        tableOptions,
      );
      return;
    }
    case 'json': {
      const { jsonElements } = require('./json-source') as typeof import('./json-source');
      yield* readKeyed(jsonElements(file), { file, format }, tableOptions);
      return;
    }
    case 'yaml': {
      const { yamlElements } = require('./yaml-source') as typeof import('./yaml-source');
      yield* readKeyed(yamlElements(file), { file, format }, tableOptions);
      return;
    }
  }
}
