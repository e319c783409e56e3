// What the server hands the app: config.json (the node URL, the custodian) and deployment/ (the manifest and the
// metadata scripts/deploy.sh copied beside it). scripts/web.sh serve writes both.
import { parseManifest, type Manifest, type Metadata } from '@healthchain/client';

export interface Config {
  /** the node's WebSocket URL */
  url: string;
  /** where the browser reaches the custodian's API (same origin, proxied) */
  custodian: string;
  /** the custodian's public base URL, written into the locators on chain */
  custodianPublic: string;
  manifest: Manifest;
  metadata: Metadata;
}

async function getJson(path: string, what: string, fix: string) {
  let response: Response;
  try {
    response = await fetch(path, { cache: 'no-store' });
  } catch {
    throw new Error(`could not load ${what} (${path}): ${fix}`);
  }
  if (!response.ok) throw new Error(`could not load ${what} (${path}, HTTP ${response.status}): ${fix}`);
  return response.json();
}

export async function loadConfig(): Promise<Config> {
  const fix = 'serve the app with scripts/web.sh serve, which writes it from deployments/<network>.json';
  const config = await getJson('config.json', 'the app configuration', fix);
  const manifest = parseManifest(await getJson('deployment/manifest.json', 'the deployment manifest', fix));
  const metadata: Metadata = {};
  for (const name of ['participants', 'consent', 'records', 'custody'] as const) {
    if (manifest.contracts[name]) metadata[name] = await getJson(`deployment/${name}.json`, `the ${name} metadata`, fix);
  }
  const params = new URLSearchParams(location.search);
  return {
    url: params.get('node') ?? config.url ?? 'ws://127.0.0.1:9944',
    custodian: config.custodian ?? 'custodian',
    custodianPublic: config.custodianPublic ?? 'http://127.0.0.1:8420',
    manifest,
    metadata,
  };
}
