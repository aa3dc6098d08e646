// A template's settings file (template.yaml): read with the YAML reader and checked with zod.
// Kept apart from template.ts so a letter worker, handed the settings, never loads either.

import type { z } from 'zod';
import { lazySchema } from '../yaml-file/lazy-schema';
import { parseYaml, yamlFileError } from '../yaml-file/yaml-file';

const fontRole = lazySchema((z) =>
  z
    .object({
      files: z.array(z.string().min(1)).min(1),
      docxEastAsia: z.string().min(1),
      docxAscii: z.string().min(1),
      sizePt: z.number().min(6).max(48),
    })
    .strict(),
);

/** A QR code printed beside the signature block (render/layout/qr-code.ts): the URL it opens and its caption. */
const qrCode = lazySchema((z) =>
  z
    .object({
      url: z
        .string()
        .max(500)
        .regex(/^https?:\/\/[!-~]+$/, 'url 应为 http:// 或 https:// 开头、不含空格和中文的网址'),
      caption: z.string().min(1).max(8),
    })
    .strict(),
);

const templateSchema = lazySchema((z) =>
  z
    .object({
      id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'id 只能含字母、数字和 . _ -'),
      name: z.string().min(1),
      maxHazards: z.number().int().min(1).max(10),
      maxDiseases: z.number().int().min(1).max(10),
      /** Template files of the pages after the letter, in the template folder: 附件1 and 送达回证. */
      annex: z
        .string()
        .regex(/^[^/\\]+\.hbs$/, '应为模板目录中的 .hbs 文件名')
        .optional(),
      receipt: z
        .string()
        .regex(/^[^/\\]+\.hbs$/, '应为模板目录中的 .hbs 文件名')
        .optional(),
      qrCodes: z.array(qrCode()).max(2).optional(),
      layout: z
        .object({
          pageWidthMm: z.number().positive(),
          pageHeightMm: z.number().positive(),
          marginTopMm: z.number().min(0),
          marginLeftMm: z.number().min(0),
          textWidthMm: z.number().positive(),
          textHeightMm: z.number().positive(),
          linesPerPage: z.number().int().min(5).max(60),
          maxLinesPerPage: z.number().int().min(5).max(60),
          charsPerLine: z.number().int().min(10).max(60),
          titleLineSpan: z.number().min(1).max(3),
          fonts: z.object({ body: fontRole(), title: fontRole() }).strict(),
        })
        .strict(),
    })
    .strict(),
);

export type TemplateSettings = z.infer<ReturnType<typeof templateSchema>>;

/** The settings in `yamlText` (the file `yamlFile`), checked; a problem is told with its line and key (E_TEMPLATE_SETTINGS). */
export function parseTemplateSettings(yamlText: string, yamlFile: string): TemplateSettings {
  const invalid = yamlFileError('E_TEMPLATE_SETTINGS', '模板设置文件', yamlFile);
  const { value: settings, placeOf } = parseYaml(yamlText, templateSchema, invalid, 'template-settings');
  if (settings.layout.maxLinesPerPage < settings.layout.linesPerPage) {
    const message = `layout.maxLinesPerPage 不能小于 linesPerPage（${settings.layout.linesPerPage}），实际为 ${settings.layout.maxLinesPerPage}`;
    throw invalid({ ...placeOf(['layout', 'maxLinesPerPage']), message });
  }
  return settings;
}
