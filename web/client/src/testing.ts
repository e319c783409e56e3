// Shared by the node tests, the browser tests and `scripts/web.sh serve`: opens the suite of a manifest from disk and
// credentials the dev cast (the issuer //Bob, appointed by scripts/deploy.sh --issuer, attests them). Node only.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { devAccount, type DevName } from './accounts';
import { connect, openSuite, type Metadata, type Sender, type Suite } from './chain';
import { parseManifest, SUITE, type Manifest } from './manifest';
import * as participants from './participants';
import type { Role } from './vocabulary';

/** Who is who in the tests and the local demo. */
export const CAST = {
  admin: 'Alice', issuer: 'Bob', clinician: 'Charlie', patient: 'Dave', author: 'Eve', pharmacy: 'Ferdie',
} as const satisfies Record<string, DevName>;

export const FAR_FUTURE = 4_102_444_800_000;

export const sender = (name: DevName): Sender => {
  const pair = devAccount(name);
  return { address: pair.address, pair };
};

/** The manifest and the metadata deploy.sh copied beside it (paths in the manifest are relative to the repository). */
export function loadDeployment(manifestPath: string): { manifest: Manifest; metadata: Metadata } {
  const path = resolve(manifestPath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`no deployment manifest at ${path}: deploy with scripts/deploy.sh --network <name>`);
  }
  const manifest = parseManifest(text, path);
  const root = dirname(dirname(path));
  const metadata: Metadata = {};
  for (const name of SUITE) {
    const entry = manifest.contracts[name];
    if (!entry) continue;
    const file = isAbsolute(entry.metadata) ? entry.metadata : join(root, entry.metadata);
    metadata[name] = JSON.parse(readFileSync(file, 'utf8'));
  }
  return { manifest, metadata };
}

export async function openDeployment(url: string, manifestPath: string): Promise<Suite> {
  const { manifest, metadata } = loadDeployment(manifestPath);
  return openSuite(await connect(url), manifest, metadata);
}

/** Credentials the cast (idempotent): the clinician and the note's author are providers, the pharmacy a pharmacy. */
export async function credentialCast(suite: Suite): Promise<void> {
  const wanted: [DevName, Role][] = [
    [CAST.clinician, 'Provider'],
    [CAST.author, 'Provider'],
    [CAST.pharmacy, 'Pharmacy'],
  ];
  for (const [name, role] of wanted) {
    const who = devAccount(name);
    if (await participants.hasRole(suite, who.address, role)) continue;
    const npi = role === 'Provider' ? participants.npiOf(who.publicKey) : undefined;
    await participants.attest(suite, sender(CAST.issuer), who.address, role, npi, FAR_FUTURE);
  }
}

/** Revokes every active consent of the patient (a clean start on a reused deployment: the dev accounts are fixed). */
export async function revokeAll(suite: Suite, patient: Sender): Promise<void> {
  let from: bigint | undefined;
  for (;;) {
    const page = await (await import('./consent')).consentsOf(suite, patient.address, from, 50);
    for (const c of page.items) {
      if (c.status === 'Active') await (await import('./consent')).revoke(suite, patient, c.id);
    }
    if (page.next === undefined) return;
    from = page.next;
  }
}

/** GS1 check digit of the first 13 digits of a GTIN-14. */
export function gtinCheckDigit(first13: string): number {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(first13[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/**
 * A pack of a recalled batch, for the pharmacy test (custody's messages are being changed: adjust here only). //Alice
 * is credentialed as Manufacturer, registers the product, creates a batch, commissions one serial and recalls it.
 */
export async function recalledPack(suite: Suite): Promise<{ gtin: string; serial: string; lot: string; expiry: number; gs1: string }> {
  const { send, read } = await import('./chain');
  const custody = suite.custody!;
  const maker = sender(CAST.admin);
  if (!(await participants.hasRole(suite, maker.address, 'Manufacturer'))) {
    await participants.attest(suite, sender(CAST.issuer), maker.address, 'Manufacturer', undefined, FAR_FUTURE);
  }
  const gtin = `0031234567890${gtinCheckDigit('0031234567890')}`;
  // Participants with GS1 company prefixes: the manufacturer needs the GTIN's prefix attested (0312345).
  const participantsMeta = (suite.participants as unknown as { metadata: { spec: { messages: { label: string }[] } } }).metadata;
  if (participantsMeta.spec.messages.some((m) => m.label === 'attest_company_prefix')) {
    const held = await read<unknown>(suite.participants, 'participants', 'companyPrefix', ['0312345'], maker.address).catch(() => undefined);
    if (!held) await send(suite.participants, 'participants', 'attestCompanyPrefix', [maker.address, '0312345'], sender(CAST.issuer));
  }
  const product = await read<unknown>(custody, 'custody', 'product', [gtin], maker.address);
  if (!product) await send(custody, 'custody', 'registerProduct', [gtin, new Uint8Array(32).fill(1)], maker);
  const lot = `R${Date.now() % 100_000_000}`;
  const expiry = Date.UTC(2030, 11, 31);
  const { expiryArg } = await import('./custody');
  const { value: batch } = await send<bigint>(custody, 'custody', 'createBatch', [gtin, lot, expiryArg(suite, 'create_batch', 2, { expiry, expiryGs1: '301231' })], maker);
  const serial = `S${lot}`;
  await send(custody, 'custody', 'commission', [batch, [serial]], maker);
  await send(custody, 'custody', 'recall', [batch, new Uint8Array(32).fill(2)], maker);
  return { gtin, serial, lot, expiry, gs1: `(01)${gtin}(17)301231(10)${lot}(21)${serial}` };
}
