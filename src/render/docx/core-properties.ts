// docProps/core.xml from the letter's metadata; dates are the letter date, never the wall clock.
import type { DocumentMeta } from '../../letter/model';
import { escapeXml } from './xml-text';

/** Written as cp:lastModifiedBy so the bytes do not depend on who ran the tool. */
const LAST_MODIFIED_BY = 'hazard-notice';

/** The letter date (YYYY-MM-DD) at 00:00 UTC. */
function letterInstant(meta: DocumentMeta): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(meta.date)) throw new RangeError(`meta.date must be YYYY-MM-DD, got ${meta.date}`);
  return new Date(`${meta.date}T00:00:00Z`);
}

export function corePropertiesXml(meta: DocumentMeta): string {
  const when = letterInstant(meta)
    .toISOString()
    .replace(/\.000Z$/, 'Z');
  const el = (tag: string, value: string) => `<${tag}>${escapeXml(value)}</${tag}>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"' +
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"' +
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    el('dc:title', meta.title) +
    el('dc:subject', meta.subject) +
    el('dc:creator', meta.author) +
    el('cp:keywords', meta.keywords.join('; ')) +
    el('dc:language', meta.language) +
    el('cp:lastModifiedBy', LAST_MODIFIED_BY) +
    el('cp:revision', '1') +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}
