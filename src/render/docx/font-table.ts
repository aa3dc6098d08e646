// word/fontTable.xml with substitution hints, so Word/WPS fall back to 仿宋 / 宋体 when the official
// fonts (仿宋_GB2312, 方正小标宋简体) are not installed: w:altName names the substitute, charset 86 (GB2312),
// family and pitch describe the face, panose1 lets Word match a similar installed face.
import { escapeXml } from './xml-text';

interface FontTableEntry {
  name: string;
  altName?: string;
  panose1: string;
  charset: string;
  family: 'auto' | 'roman' | 'swiss' | 'modern' | 'script' | 'decorative';
  pitch: 'default' | 'fixed' | 'variable';
}

/** Faces as Windows ships them (panose/charset/family/pitch copied from their OS/2 tables as Word records them). */
const KNOWN_FACES: Record<string, Omit<FontTableEntry, 'name'>> = {
  仿宋_GB2312: { altName: '仿宋', panose1: '02010609030101010101', charset: '86', family: 'modern', pitch: 'fixed' },
  仿宋: { panose1: '02010609060101010101', charset: '86', family: 'modern', pitch: 'fixed' },
  方正小标宋简体: { altName: '宋体', panose1: '02000000000000000000', charset: '86', family: 'script', pitch: 'default' },
  宋体: { altName: 'SimSun', panose1: '02010600030101010101', charset: '86', family: 'auto', pitch: 'variable' },
  'Times New Roman': { panose1: '02020603050405020304', charset: '00', family: 'roman', pitch: 'variable' },
};

function entryFor(name: string): FontTableEntry {
  const known = KNOWN_FACES[name];
  if (known) return { name, ...known };
  // A font the layout names that is not one of the usual office faces: describe it as a Chinese serif face.
  return { name, altName: '宋体', panose1: '02010600030101010101', charset: '86', family: 'auto', pitch: 'variable' };
}

/** The font names used by the document, plus the substitutes their altName points to, in first-use order. */
export function fontTableXml(usedFonts: string[]): string {
  const names: string[] = [];
  const add = (n: string) => {
    if (!names.includes(n)) names.push(n);
  };
  for (const n of usedFonts) {
    add(n);
    const alt = entryFor(n).altName;
    if (alt && KNOWN_FACES[alt]) add(alt);
  }
  const fonts = names.map((n) => {
    const e = entryFor(n);
    return (
      `<w:font w:name="${escapeXml(e.name)}">` +
      (e.altName ? `<w:altName w:val="${escapeXml(e.altName)}"/>` : '') +
      `<w:panose1 w:val="${e.panose1}"/><w:charset w:val="${e.charset}"/>` +
      `<w:family w:val="${e.family}"/><w:pitch w:val="${e.pitch}"/></w:font>`
    );
  });
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    fonts.join('') +
    '</w:fonts>'
  );
}
