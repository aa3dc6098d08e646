// Locates files bundled with the package (data/, fonts/, templates/, config/), from src/ or dist/.

import fs from 'node:fs';
import path from 'node:path';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = up;
  }
  return (root = dir);
}

export function bundledPath(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}
