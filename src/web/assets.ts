// The pages' files, read once at start from a fixed list (web/, pdfjs-dist's build, the shared USCC check): a
// request names an entry of the list, never a path, so no client text reaches the file system.

import fs from 'node:fs';
import path from 'node:path';
import { bundledPath } from '../package-root';

export interface Asset {
  type: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.otf': 'font/otf',
};

/** Pages by URL path. */
export const PAGES: Record<string, string> = {
  '/': 'letter.html',
  '/batches': 'batches.html',
  '/register': 'register.html',
  '/lookup': 'lookup.html',
  '/progress': 'progress.html',
  '/login': 'login.html',
};

/** The parts every page shares (web/partials/NAME.html), put in place of a `<!-- #include NAME -->` line at start. */
const INCLUDE = /^([ \t]*)<!-- #include ([a-z]+) -->\n/gm;

/** A page with its shared head and nav filled in from web/partials/ (written once, not six times). */
function pageWithPartials(page: string): Asset {
  const partial = (_line: string, indent: string, name: string) =>
    fs.readFileSync(bundledPath('web', 'partials', `${name}.html`), 'utf8').replace(/^(?=.)/gm, indent);
  const html = fs.readFileSync(bundledPath('web', page), 'utf8').replace(INCLUDE, partial);
  return { type: TYPES['.html'], body: Buffer.from(html) };
}

const SCRIPTS = ['style.css', 'common.js', 'letter.js', 'batches.js', 'register.js', 'lookup.js', 'progress.js', 'login.js'];

/**
 * The compiled JavaScript of a module of ours: dist/ (installed), the test run's build (HAZARD_NOTICE_TEST_BUILD),
 * or transpiled from source when running from TypeScript (the typescript package is then present).
 */
function compiledModule(name: string): string {
  const file = require.resolve(name);
  if (file.endsWith('.js')) return fs.readFileSync(file, 'utf8');
  const build = process.env.HAZARD_NOTICE_TEST_BUILD;
  const twin = build ? path.join(build, path.relative(path.join(__dirname, '..'), file)).replace(/\.ts$/, '.js') : undefined;
  if (twin && fs.existsSync(twin)) return fs.readFileSync(twin, 'utf8');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  return ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

/** A dependency-free CommonJS module of ours as an ES module for the browser (the same code the server runs). */
function browserModule(name: string, exported: string[]): Buffer {
  const code = compiledModule(name).replace(/^\/\/# sourceMappingURL=.*$/m, '');
  if (/\brequire\(/.test(code)) throw new Error(`${name} imports other modules; it cannot be served to the browser as is`);
  const exports = exported.map((e) => `export const ${e} = exports.${e};`).join('\n');
  return Buffer.from(`const exports = {};\n(function (exports) {\n${code}\n})(exports);\n${exports}\n`);
}

export function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const add = (url: string, file: string) => assets.set(url, { type: TYPES[path.extname(file)], body: fs.readFileSync(file) });
  for (const [url, page] of Object.entries(PAGES)) assets.set(url, pageWithPartials(page));
  for (const name of SCRIPTS) add(`/assets/${name}`, bundledPath('web', name));
  const pdfjs = path.dirname(require.resolve('pdfjs-dist/package.json'));
  add('/assets/pdfjs/pdf.mjs', path.join(pdfjs, 'build', 'pdf.min.mjs'));
  add('/assets/pdfjs/pdf.worker.mjs', path.join(pdfjs, 'build', 'pdf.worker.min.mjs'));
  add('/assets/fonts/fallback.otf', bundledPath('fonts', 'FandolFang-Regular.otf'));
  assets.set('/assets/uscc.js', { type: TYPES['.js'], body: browserModule('../input/uscc', ['checkUscc']) });
  return assets;
}
