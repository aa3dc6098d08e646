// Region config: the counties/districts a deployment serves, their bureaus and numbering.

import fs from 'node:fs';
import path from 'node:path';
import { lazySchema } from '../yaml-file/lazy-schema';
import { HazardNoticeError } from '../errors';
import { parseYaml, yamlFileError } from '../yaml-file/yaml-file';
import { bundledPath } from '../package-root';
import type { Bureau } from './bureau';

export interface NumberingOptions {
  pattern: string; // placeholders {代字} {年号} {年份} {序号}
  yearBrackets: string; // two characters, e.g. 〔〕
  padding: number; // 0 = no padding (GB/T 9704)
}

export interface County extends Bureau {
  aliases: string[];
  verified: boolean;
}

export interface RegionConfig {
  file: string;
  region: string;
  /** The region's (city's) health commission, which issues the city-wide progress report; absent when not configured. */
  bureau?: string;
  /** Local overrides of the industry → hazard lists (absolute path), read with the knowledge base. */
  industryOverrides?: string;
  numbering: NumberingOptions;
  counties: County[];
}

const countySchema = lazySchema((z) =>
  z
    .object({
      code: z.string().regex(/^\d{6}$/, '区划代码应为 6 位数字'),
      name: z.string().min(1),
      aliases: z.array(z.string().min(1)).default([]),
      bureau: z.string().min(1),
      verified: z.boolean().default(false),
      prefix: z.string().min(1),
      seal: z.string().min(1).optional(),
      sealDiameterMm: z.number().positive().max(60).default(42),
      contact: z.string().min(1).optional(),
    })
    .strict(),
);

const configSchema = lazySchema((z) =>
  z
    .object({
      region: z.string().min(1),
      bureau: z.string().min(1).optional(),
      numbering: z
        .object({
          pattern: z.string().includes('{序号}', { message: '文号格式必须包含 {序号}' }).default('{代字}{年号}{序号}号'),
          yearBrackets: z.string().length(2, { message: '年号括号应为两个字符，如 〔〕' }).default('〔〕'),
          padding: z.number().int().min(0).max(6).default(0),
        })
        .strict()
        .default({}),
      counties: z.array(countySchema()).min(1),
      industryOverrides: z.string().min(1).optional(),
    })
    .strict(),
);

export const DEFAULT_CONFIG_FILE = 'config/liuzhou.yaml';

export function loadRegionConfig(file?: string): RegionConfig {
  const configFile = file ?? bundledPath(DEFAULT_CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(configFile, 'utf8');
  } catch {
    throw new HazardNoticeError('E_CONFIG_READ', `无法读取区域配置文件“${configFile}”`);
  }
  const invalid = yamlFileError('E_CONFIG_INVALID', '区域配置文件', configFile);
  const { value: cfg, placeOf } = parseYaml(text, configSchema, invalid, 'region-config');
  const sealError = yamlFileError('E_CONFIG_SEAL', '区域配置文件', configFile);
  const seen = new Map<string, string>();
  const counties = cfg.counties.map((c, i): County => {
    for (const key of [c.code, c.name, ...c.aliases]) {
      const prev = seen.get(key);
      if (prev) throw invalid({ ...placeOf(['counties', i]), message: `“${key}”在 ${prev} 和 counties.${i} 中重复` });
      seen.set(key, `counties.${i}`);
    }
    const county: County = {
      countyCode: c.code,
      countyName: c.name,
      aliases: c.aliases,
      name: c.bureau,
      verified: c.verified,
      numberPrefix: c.prefix,
      contact: c.contact,
    };
    if (c.seal) {
      const sealFile = path.resolve(path.dirname(configFile), c.seal);
      let png: Buffer;
      try {
        png = fs.readFileSync(sealFile);
      } catch {
        throw sealError({ ...placeOf(['counties', i, 'seal']), message: `counties.${i}.seal 无法读取印章图片“${sealFile}”` });
      }
      if (png.subarray(1, 4).toString('latin1') !== 'PNG') {
        throw sealError({ ...placeOf(['counties', i, 'seal']), message: `counties.${i}.seal “${sealFile}”不是 PNG 图片` });
      }
      county.seal = { png: new Uint8Array(png), diameterMm: c.sealDiameterMm };
    }
    return county;
  });
  const overrides = cfg.industryOverrides ? { industryOverrides: path.resolve(path.dirname(configFile), cfg.industryOverrides) } : {};
  const bureau = cfg.bureau ? { bureau: cfg.bureau } : {};
  return { file: configFile, region: cfg.region, ...bureau, numbering: cfg.numbering, counties, ...overrides };
}

function normalise(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

/** Short form of a county name: 柳城县 → 柳城, 融水苗族自治县 → 融水. */
function shortCountyName(name: string): string {
  if (name.endsWith('自治县')) return name.slice(0, -3).replace(/([\u4e00-\u9fff]族)+$/, '');
  return name.replace(/[县区市]$/, '');
}

/** Per region name: the province and city a county name may start with. */
const namePrefixes = new Map<string, RegExp>();

/** Finds the county a record names (code, name, alias, short name, or prefixed with the city). */
export function findCounty(region: RegionConfig, input: string): County | undefined {
  let prefix = namePrefixes.get(region.region);
  if (!prefix) namePrefixes.set(region.region, (prefix = new RegExp(`^(广西壮族自治区|广西)?(${region.region})?`)));
  const s = normalise(input).replace(prefix, '');
  if (!s) return undefined;
  return region.counties.find(
    (c) => c.countyCode === s || c.countyName === s || c.aliases.includes(s) || shortCountyName(c.countyName) === s,
  );
}

/** Finds exactly one county named inside an address (full names first, then aliases). */
export function findCountyInAddress(region: RegionConfig, address: string): County | undefined {
  const s = normalise(address);
  const hits = region.counties.filter((c) => s.includes(c.countyName) || c.aliases.some((a) => s.includes(a)));
  return hits.length === 1 ? hits[0] : undefined;
}

/** Formats a document number, e.g. 柳城卫职告〔2026〕1号. */
export function formatDocNumber(numbering: NumberingOptions, prefix: string, year: number, seq: number): string {
  const [open, close] = [...numbering.yearBrackets];
  const fields: Record<string, string> = {
    代字: prefix,
    年号: `${open}${year}${close}`,
    年份: String(year),
    序号: String(seq).padStart(numbering.padding, '0'),
  };
  return numbering.pattern.replace(/\{(代字|年号|年份|序号)\}/g, (_, k: string) => fields[k]);
}

/** A number at least as wide as any this bureau issues in `year` (ten digits): trial layouts use it, so a letter that fits
 * with it fits with its real number, checked before the number is taken. */
export function probeDocNumber(numbering: NumberingOptions, prefix: string, year: number): string {
  return formatDocNumber(numbering, prefix, year, 1234567890);
}
