// Stages the extension as an unpacked `publisher.name-version/` folder, holding the files the packaged .vsix
// would hold: the `!` entries of .vscodeignore (which ignores `**` and lets those back in). A file missing
// from .vscodeignore is then missing in the UI tests too, as it would be for a user.
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { manifest, repoRoot } from './paths.mjs';

function includedPaths() {
  const lines = readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  if (lines[0] !== '**') {
    throw new Error('stage: .vscodeignore must start with `**` and list what is packaged as `!path` lines');
  }
  return lines.slice(1).map((line) => {
    const pattern = line.replace(/^!/, '');
    if (!line.startsWith('!') || /[*?[{]/.test(pattern.replace(/\/\*\*$/, ''))) {
      throw new Error(`stage: cannot follow .vscodeignore line \`${line}\` (only \`!file\` and \`!dir/**\`)`);
    }
    return pattern.replace(/\/\*\*$/, '');
  });
}

/** Copies the extension into `extensionsDir`; returns the staged folder. */
export function stageExtension(extensionsDir) {
  const { publisher, name, version } = manifest();
  const target = path.join(extensionsDir, `${publisher}.${name}-${version}`);
  mkdirSync(target, { recursive: true });
  for (const relative of new Set(['package.json', ...includedPaths()])) {
    const source = path.join(repoRoot, relative);
    // media/ may still be empty (git keeps no empty folder): packaging skips what is not there too.
    if (!existsSync(source)) continue;
    cpSync(source, path.join(target, relative), { recursive: true });
  }
  return target;
}
