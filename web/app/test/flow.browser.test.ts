// The flow in a real browser: the patient grants, the clinician opens and reads the decrypted note, the
// patient sees that read in the accounting of disclosures, revokes, and the clinician is refused; a pharmacist
// verifies a recalled pack. Screenshots of each page in web/test-results/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Custodian, devAccount, flows, consent, type Suite } from '@healthchain/client';
import { CAST, credentialCast, openDeployment, recalledPack, revokeAll, sender } from '@healthchain/client/src/testing';
import { launch, serve } from './browser';

const shots = join(import.meta.dirname, '..', '..', 'test-results');
mkdirSync(shots, { recursive: true });
const NOTE = 'Progress note: chest pain resolved after treatment; continue aspirin 81 mg daily.';

let suite: Suite;
let browser: BrowserContext;
let closeBrowser: () => Promise<void>;
let app: { url: string; close: () => Promise<void> };
let record: bigint;
const patient = devAccount(CAST.patient);
const clinician = devAccount(CAST.clinician);

beforeAll(async () => {
  suite = await openDeployment(process.env.HEALTHCHAIN_WEB_URL!, process.env.HEALTHCHAIN_WEB_MANIFEST!);
  await credentialCast(suite);
  await revokeAll(suite, sender(CAST.patient));
  // A note written beforehand by another provider (the author), with the patient's write consent.
  await consent.grant(suite, sender(CAST.patient), {
    patient: patient.address, grantee: devAccount(CAST.author).address, purposes: ['Treatment'], classes: [], general: true, actions: ['Read', 'Write'],
  });
  const api = new Custodian(process.env.HEALTHCHAIN_CUSTODIAN!);
  record = await flows.put(suite, api, sender(CAST.author), patient.address, 'Encounters', new TextEncoder().encode(NOTE), process.env.HEALTHCHAIN_CUSTODIAN!);
  ({ browser, close: closeBrowser } = await launch());
  app = await serve();
});

afterAll(async () => {
  await closeBrowser?.();
  await app?.close();
  await suite?.client.disconnect().catch(() => {});
});

async function openAs(name: string, page: string, extra = ''): Promise<Page> {
  const tab = await browser.newPage();
  tab.on('pageerror', (e) => console.error(`[${name} ${page}] page error: ${e.message}`));
  await tab.goto(`${app.url}#/${page}?as=${name}${extra}`);
  await tab.getByLabel('Account', { exact: true }).waitFor({ timeout: 30_000 });
  await expect.poll(() => tab.getByLabel('Account', { exact: true }).inputValue(), { timeout: 30_000 }).toBe(devAccount(name as never).address);
  return tab;
}

const finalized = (tab: Page) => tab.getByRole('status').filter({ hasText: /Finalized in block #\d+/ }).first().waitFor({ timeout: 60_000 });

describe('patient and clinician in Chromium', () => {
  let grantId: string;

  it('the patient grants the clinician treatment read access', async () => {
    const tab = await openAs('Dave', 'patient');
    await tab.getByRole('heading', { name: 'My consents' }).waitFor();
    await tab.getByLabel('Grantee account').fill(clinician.address);
    await tab.getByRole('button', { name: 'Grant', exact: true }).click();
    await finalized(tab);
    const row = tab.locator('tr', { hasText: 'Charlie' }).filter({ hasText: 'Active' });
    await row.first().waitFor({ timeout: 20_000 });
    grantId = (await row.first().locator('td').first().textContent())!.trim();
    await tab.screenshot({ path: join(shots, '1-patient-granted.png'), fullPage: true });
    await tab.close();
  });

  it('the clinician opens the record and reads the decrypted note', async () => {
    const tab = await openAs('Charlie', 'clinician', `&patient=${patient.address}`);
    await tab.getByRole('button', { name: `Open record #${record}` }).click();
    const note = tab.getByLabel(`Decrypted note of record #${record}`);
    await note.waitFor({ timeout: 90_000 });
    expect(await note.textContent()).toBe(NOTE);
    await tab.screenshot({ path: join(shots, '2-clinician-read.png'), fullPage: true });
    await tab.close();
  });

  it('the patient sees the read in the accounting of disclosures, and revokes', async () => {
    const tab = await openAs('Dave', 'patient');
    const disclosures = tab.locator('section', { has: tab.getByRole('heading', { name: 'Who opened my records' }) });
    await disclosures.locator('tr', { hasText: `#${record}` }).filter({ hasText: 'Charlie' }).first().waitFor({ timeout: 20_000 });
    expect(await disclosures.textContent()).toContain(`Consent #${grantId}`);
    await tab.screenshot({ path: join(shots, '3-patient-disclosures.png'), fullPage: true });
    await tab.getByRole('button', { name: `Revoke consent #${grantId}` }).click();
    await finalized(tab);
    await tab.locator('tr', { hasText: 'Charlie' }).filter({ hasText: 'Revoked' }).first().waitFor({ timeout: 20_000 });
    await tab.close();
  });

  it('the clinician is refused, in a plain sentence', async () => {
    const tab = await openAs('Charlie', 'clinician', `&patient=${patient.address}`);
    await tab.getByRole('button', { name: `Open record #${record}` }).click();
    const alert = tab.getByRole('alert').filter({ hasText: 'Access denied' });
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toBe(`Access denied: the patient revoked your consent #${grantId}.`);
    expect(await tab.getByLabel(`Decrypted note of record #${record}`).count()).toBe(0);
    await tab.screenshot({ path: join(shots, '4-clinician-refused.png'), fullPage: true });
    await tab.close();
  });
});

describe('access requests in Chromium', () => {
  it('the clinician requests access; the patient approves it and a consent appears', async () => {
    const doctor = await openAs('Charlie', 'clinician', `&patient=${patient.address}`);
    await doctor.getByRole('button', { name: 'Request read access to every non-sensitive class' }).click();
    await finalized(doctor);
    await doctor.close();
    const tab = await openAs('Dave', 'patient');
    const requests = tab.locator('section', { has: tab.getByRole('heading', { name: 'Access requests waiting for me' }) });
    const approve = requests.getByRole('button', { name: /^Approve #\d+$/ }).first();
    await approve.waitFor({ timeout: 20_000 });
    expect(await requests.textContent()).toContain('Charlie');
    await tab.screenshot({ path: join(shots, '5-patient-request.png'), fullPage: true });
    await approve.click();
    await finalized(tab);
    await requests.getByText('No pending requests.').waitFor({ timeout: 20_000 });
    await tab.locator('tr', { hasText: 'Charlie' }).filter({ hasText: 'Active' }).first().waitFor({ timeout: 20_000 });
    await tab.close();
  });
});

describe('pharmacy in Chromium', () => {
  it('verifies a recalled pack from its GS1 string and sees "recalled"', async () => {
    const pack = await recalledPack(suite);
    const tab = await openAs('Ferdie', 'pharmacy');
    await tab.getByLabel('GS1 DataMatrix string (paste or scan)').fill(pack.gs1);
    await tab.getByRole('button', { name: 'Verify' }).click();
    const result = tab.getByRole('status').filter({ hasText: 'Verification' });
    await result.waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain('recalled');
    await tab.screenshot({ path: join(shots, '6-pharmacy-recalled.png'), fullPage: true });
    await tab.close();
  });
});
