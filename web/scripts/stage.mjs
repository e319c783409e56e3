#!/usr/bin/env node
// Writes what the built app loads at run time into its output folder:
//   node scripts/stage.mjs <dist dir> <manifest> <node url> [custodian public url]
// config.json (node URL, custodian), deployment/manifest.json and deployment/<contract>.json (the metadata
// scripts/deploy.sh copied beside the manifest; its paths are relative to the repository).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

const [dist, manifestPath, url, custodianPublic = 'http://127.0.0.1:8420'] = process.argv.slice(2);
if (!dist || !manifestPath || !url) {
  console.error('usage: stage.mjs <dist dir> <manifest> <node url> [custodian public url]');
  process.exit(2);
}
const fail = (line) => {
  console.error(`error: ${line}`);
  process.exit(1);
};
if (!existsSync(manifestPath)) fail(`no deployment manifest at ${manifestPath}: deploy with scripts/deploy.sh (or pass --manifest)`);
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const root = dirname(dirname(resolve(manifestPath)));
mkdirSync(join(dist, 'deployment'), { recursive: true });
writeFileSync(join(dist, 'deployment', 'manifest.json'), JSON.stringify(manifest, null, 2));
for (const name of ['participants', 'consent', 'records', 'custody']) {
  const entry = manifest.contracts?.[name];
  if (!entry) continue;
  const file = isAbsolute(entry.metadata) ? entry.metadata : join(root, entry.metadata);
  if (!existsSync(file)) fail(`the ${name} metadata ${file} is missing: deploy again with scripts/deploy.sh`);
  copyFileSync(file, join(dist, 'deployment', `${name}.json`));
}
writeFileSync(join(dist, 'config.json'), JSON.stringify({ url, custodian: 'custodian', custodianPublic }, null, 2));
