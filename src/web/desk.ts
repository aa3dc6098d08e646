// What the web app loads once per process: knowledge base, region config, template, fonts and the register (never per
// request).

import { loadKnowledgeBase } from '../catalog/load';
import { loadIndustryOverrides, type IndustryOverrides } from '../catalog/overrides';
import type { KnowledgeBase } from '../catalog/types';
import { loadRegionConfig, type RegionConfig } from '../config/region';
import { loadTemplate, type LetterTemplate } from '../letter/template';
import { Register } from '../register/register';
import { defaultFontsDir, loadFontSet, type FontSet } from '../render/layout/fonts';

export interface DeskOptions {
  /** The data directory: the register, kept letters, uploads and web batches live under it. */
  dataDir: string;
  /** The register's database (resolveDatabase): PostgreSQL or an SQLite file; default the data directory's. */
  database?: string;
  configFile?: string;
  templateDir?: string;
  /** The campaign's target groups file (default: the bundled data/campaign-groups.yaml). */
  groupsFile?: string;
  /** Largest upload in bytes (default 20 MB). */
  uploadLimit?: number;
  /** Most rows a batch upload may have (default 20000). */
  rowLimit?: number;
  /**
   * The origins the pages are reached at besides this machine's loopback (`serve --public-origin`): e.g. the https
   * address nginx serves on the intranet. Requests with their Host, and state changes from them, are accepted.
   */
  publicOrigins?: readonly string[];
}

export const DEFAULT_UPLOAD_LIMIT = 20 * 1024 * 1024;
export const DEFAULT_ROW_LIMIT = 20000;

export interface Desk {
  dataDir: string;
  database?: string;
  configFile?: string;
  templateDir?: string;
  uploadLimit: number;
  rowLimit: number;
  kb: KnowledgeBase;
  region: RegionConfig;
  /** The region config's local industry → hazard adjustments, if it names any. */
  overrides?: IndustryOverrides;
  template: LetterTemplate;
  fonts: FontSet;
  /** The one register of letters issued (batch, CLI, web), open for the life of the process. */
  register: Register;
}

export async function openDesk(opts: DeskOptions): Promise<Desk> {
  const template = loadTemplate(opts.templateDir);
  const kb = loadKnowledgeBase();
  const region = loadRegionConfig(opts.configFile);
  return {
    dataDir: opts.dataDir,
    database: opts.database,
    configFile: opts.configFile,
    templateDir: opts.templateDir,
    uploadLimit: opts.uploadLimit ?? DEFAULT_UPLOAD_LIMIT,
    rowLimit: opts.rowLimit ?? DEFAULT_ROW_LIMIT,
    kb,
    region,
    overrides: region.industryOverrides ? loadIndustryOverrides(region.industryOverrides, kb) : undefined,
    template,
    fonts: loadFontSet(defaultFontsDir(), template.layout),
    register: await Register.inDataDir(opts.dataDir, { database: opts.database }),
  };
}
