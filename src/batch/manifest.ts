// manifest.csv / manifest.json and rejects.csv, written incrementally and committed atomically.

import path from 'node:path';
import type { RowError } from '../input/employer';
import { CSV_BOM, csvRow } from '../csv/write';
import { AtomicFileStream } from '../output-files/atomic-file';
import type { FileSignature } from '../render/pdf/sign-pdf';
import type { LetterDataWithoutSeal, OutputFormat, WrittenFile } from './jobs';

export interface ManifestFile {
  format: OutputFormat;
  path: string; // relative to the output folder, with /
  sha256: string;
  signature?: FileSignature; // a signed PDF (--sign)
}

export interface ManifestLetter {
  seq: number; // 序号 within the county, in route order
  data: LetterDataWithoutSeal; // docNumber set
  maxHazards: number;
  maxDiseases: number;
  templateId: string;
  files: ManifestFile[];
}

export interface ManifestVolume {
  county: string;
  volume: number;
  firstSeq: number;
  lastSeq: number;
  path: string;
  sha256: string;
  signature?: FileSignature;
}

const CSV_HEADER = [
  '区县',
  '区县代码',
  '序号',
  '文号',
  '单位名称',
  '统一社会信用代码',
  '乡镇街道',
  '地址',
  '门类',
  '大类',
  '中类',
  '小类',
  '行业代码',
  '风险等级',
  '危害因素',
  '职业病',
  '本地调整',
  '职业病目录',
  '模板',
  '日期',
  '来源文件',
  '来源行号',
  'PDF文件',
  'PDF SHA-256',
  'DOCX文件',
  'DOCX SHA-256',
  'PDF签名证书SHA-256',
];

/** Relative path with forward slashes, for manifests read on any system. */
export function manifestPath(outDir: string, file: string | WrittenFile): string {
  return path
    .relative(outDir, typeof file === 'string' ? file : file.path)
    .split(path.sep)
    .join('/');
}

/** The 本地调整 cell: the codes of the local overrides applied, with their reasons (empty when none). */
function localOverridesText(applied: LetterDataWithoutSeal['localOverrides']): string {
  return (applied ?? []).map((o) => `${o.code}（${o.reason}）`).join('；');
}

export class ManifestWriter {
  private readonly csv: AtomicFileStream;
  private readonly json: AtomicFileStream;
  private letters = 0;

  constructor(outDir: string, header: Record<string, unknown>) {
    this.csv = new AtomicFileStream(path.join(outDir, 'manifest.csv'));
    this.json = new AtomicFileStream(path.join(outDir, 'manifest.json'));
    this.csv.write(CSV_BOM + csvRow(CSV_HEADER));
    const head = JSON.stringify(header, null, 2);
    this.json.write(`${head.slice(0, -2)},\n  "letters": [`);
  }

  addLetter(l: ManifestLetter): void {
    const { data } = l;
    const hazards = data.hazards.slice(0, l.maxHazards);
    const diseases = data.diseases.slice(0, l.maxDiseases);
    const industryCode = (data.industry.class ?? data.industry.group).code;
    const file = (f: OutputFormat) => l.files.find((x) => x.format === f);
    this.csv.write(
      csvRow([
        data.bureau.countyName,
        data.bureau.countyCode,
        l.seq,
        data.docNumber,
        data.employer.name,
        data.employer.uscc,
        data.employer.township,
        data.employer.address,
        data.industry.section.name,
        data.industry.division.name,
        data.industry.group.name,
        data.industry.class?.name,
        industryCode,
        data.industry.risk,
        hazards.map((h) => h.name).join('、'),
        diseases.map((d) => d.name).join('、'),
        localOverridesText(data.localOverrides),
        data.diseaseCatalogue.docNumber,
        l.templateId,
        data.date,
        data.source?.file,
        data.source?.row,
        file('pdf')?.path,
        file('pdf')?.sha256,
        file('docx')?.path,
        file('docx')?.sha256,
        file('pdf')?.signature?.certificateSha256,
      ]),
    );
    const entry = {
      county: { code: data.bureau.countyCode, name: data.bureau.countyName },
      seq: l.seq,
      docNumber: data.docNumber,
      employer: data.employer,
      industry: data.industry,
      hazards: hazards.map((h) => ({ id: h.id, name: h.name, category: h.category })),
      diseases: diseases.map((d) => d.name),
      diseaseCatalogueNames: diseases.map((d) => d.catalogueName ?? d.name),
      diseaseCatalogue: data.diseaseCatalogue,
      localOverrides: data.localOverrides ?? [],
      bureau: data.bureau.name,
      templateId: l.templateId,
      date: data.date,
      source: data.source,
      files: l.files,
    };
    this.json.write(`${this.letters === 0 ? '' : ','}\n    ${JSON.stringify(entry)}`);
    this.letters++;
  }

  commit(volumes: readonly ManifestVolume[], summary: Record<string, unknown>): void {
    const tail = JSON.stringify({ printVolumes: volumes, summary }, null, 2).slice(1);
    this.json.write(`\n  ],${tail}\n`);
    this.csv.commit();
    this.json.commit();
  }

  abandon(): void {
    this.csv.abandon();
    this.json.abandon();
  }
}

export class RejectsWriter {
  private readonly out: AtomicFileStream;
  private readonly rows = new Set<string>();

  constructor(file: string) {
    this.out = new AtomicFileStream(file);
    this.out.write(CSV_BOM + csvRow(['文件', '工作表', '行号', '列', '值', '错误代码', '原因']));
  }

  /** Records a row's errors; returns true the first time the row is seen. */
  add(errors: readonly RowError[]): boolean {
    let first = false;
    for (const e of errors) {
      const key = `${e.source.file}\0${e.source.sheet ?? ''}\0${e.source.row}`;
      if (!this.rows.has(key)) {
        this.rows.add(key);
        first = true;
      }
      this.out.write(csvRow([e.source.file, e.source.sheet, e.source.row, e.column, e.value, e.code, e.message]));
    }
    return first;
  }

  commit(): void {
    this.out.commit();
  }

  abandon(): void {
    this.out.abandon();
  }
}
