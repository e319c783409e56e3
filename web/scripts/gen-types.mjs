#!/usr/bin/env node
// Generates the typed contract APIs (dedot typink) from the contracts' release metadata.
//   node scripts/gen-types.mjs <metadata dir> <output dir>
// <metadata dir> holds <contract>/<contract>.json (the release builds of scripts/build.sh). One fix-up before dedot
// sees the metadata: message and constructor arguments named with a reserved word of JavaScript (records.register's
// `class`) are renamed (`class` -> `dataClass`), since dedot 1.3's generated signature would not parse. Arguments are
// positional in SCALE, so the renaming changes names in TypeScript only, never bytes on the wire.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONTRACTS = ['participants', 'consent', 'records', 'claims', 'custody'];
const RENAME = { class: 'dataClass', function: 'func', default: 'fallback', new: 'fresh', delete: 'remove' };

const [metadataDir, outputDir] = process.argv.slice(2).map((p) => resolve(p));
if (!metadataDir || !outputDir) {
  console.error('usage: gen-types.mjs <metadata dir> <output dir>');
  process.exit(2);
}
const web = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(web, 'node_modules', '@dedot', 'cli', 'bin', 'dedot.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'healthchain-types-'));
try {
  mkdirSync(outputDir, { recursive: true });
  for (const name of CONTRACTS) {
    const file = join(metadataDir, name, `${name}.json`);
    if (!existsSync(file)) {
      console.error(`error: no metadata at ${file}: build the contracts with scripts/build.sh (or set HEALTHCHAIN_METADATA_DIR)`);
      process.exit(1);
    }
    const metadata = JSON.parse(readFileSync(file, 'utf8'));
    for (const entry of [...metadata.spec.messages, ...metadata.spec.constructors]) {
      for (const arg of entry.args) if (RENAME[arg.label]) arg.label = RENAME[arg.label];
    }
    const copy = join(scratch, `${name}.json`);
    writeFileSync(copy, JSON.stringify(metadata));
    rmSync(join(outputDir, name), { recursive: true, force: true });
    execFileSync(process.execPath, [cli, 'typink', '-m', copy, '-o', outputDir, '-c', name], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
