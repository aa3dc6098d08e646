// Making a registered letter's file again from what the register stored: its data, its template (by id) and its
// config (by identity), drawn through the one render function with the bundled fonts. Batch letters were drawn
// with fonts cut down to the batch's characters; the bytes are the same as with the full faces.

import crypto from 'node:crypto';
import { loadRegionConfig, type RegionConfig } from '../config/region';
import { HazardNoticeError } from '../errors';
import { loadTemplate, type LetterTemplate } from '../letter/template';
import { defaultFontsDir, loadFontSet, type FontSet } from '../render/layout/fonts';
import { renderLetter, type OutputFormat } from '../render/render-letter';
import { withSeal } from '../resolve/letter-data';
import type { RegisterLetter } from './register';

/**
 * What a letter takes from the region config beyond its data (which holds the bureau's name, prefix and contact):
 * the county's seal image and size. The register stores it to remake the letter with the same seal.
 */
export function configIdentity(region: RegionConfig, countyCode: string): string {
  const seal = region.counties.find((c) => c.countyCode === countyCode)?.seal;
  const h = crypto.createHash('sha256');
  if (seal) h.update('seal\0').update(String(seal.diameterMm)).update('\0').update(seal.png);
  else h.update('no-seal');
  return h.digest('hex');
}

/** A template by the id recorded: from its folder, else the bundled one (the package may have moved). */
function templateFor(letter: RegisterLetter): LetterTemplate {
  for (const dir of [letter.template.dir, undefined]) {
    try {
      const t = loadTemplate(dir);
      if (t.id === letter.template.id) return t;
    } catch (e) {
      if (!(e instanceof HazardNoticeError)) throw e;
    }
  }
  throw new HazardNoticeError(
    'E_REGISTER_REMAKE',
    `无法重新生成告知单 ${letter.docNumber}：找不到登记时所用的模板“${letter.template.id}”（原位于“${letter.template.dir}”），模板可能已被修改或移走`,
    { id: letter.id, templateId: letter.template.id },
  );
}

/** The region config with the letter's seal: its file, else the bundled one. */
function configFor(letter: RegisterLetter): RegionConfig {
  for (const file of [letter.config.file, undefined]) {
    try {
      const region = loadRegionConfig(file);
      if (configIdentity(region, letter.county.code) === letter.config.sha256) return region;
    } catch (e) {
      if (!(e instanceof HazardNoticeError)) throw e;
    }
  }
  throw new HazardNoticeError(
    'E_REGISTER_REMAKE',
    `无法重新生成告知单 ${letter.docNumber}：区域配置“${letter.config.file}”中${letter.county.name}的印章已与登记时不同或无法读取`,
    { id: letter.id, configFile: letter.config.file },
  );
}

/** What a long-running process (the web app) has loaded once: used when it is what the letter was made with. */
export interface LoadedForRemake {
  template: LetterTemplate;
  region: RegionConfig;
  fonts: FontSet;
}

/** The letter's file in `format`, rendered again from the register's record. */
export async function remakeLetterFile(letter: RegisterLetter, format: OutputFormat, loaded?: LoadedForRemake): Promise<Uint8Array> {
  const reuse =
    loaded && loaded.template.id === letter.template.id && configIdentity(loaded.region, letter.county.code) === letter.config.sha256;
  const template = reuse ? loaded.template : templateFor(letter);
  const region = reuse ? loaded.region : configFor(letter);
  const fonts = reuse ? loaded.fonts : loadFontSet(defaultFontsDir(), template.layout);
  const seal = region.counties.find((c) => c.countyCode === letter.data.bureau.countyCode)?.seal;
  const rendered = await renderLetter(template, withSeal(letter.data, seal), fonts, [format], letter.letterSet);
  return format === 'pdf' ? rendered.pdf!.bytes : rendered.docx!;
}
