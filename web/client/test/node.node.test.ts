// Against a node with the suite deployed (scripts/web.sh test starts one): HEALTHCHAIN_WEB_URL, HEALTHCHAIN_WEB_MANIFEST
// and, for the off-chain part, HEALTHCHAIN_WEB_CUSTODIAN.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf, devAccount } from '../src/accounts';
import type { Suite } from '../src/chain';
import * as consent from '../src/consent';
import { Custodian } from '../src/custodian';
import { ContractError } from '../src/errors';
import * as flows from '../src/flows';
import * as records from '../src/records';
import { CAST, credentialCast, openDeployment, revokeAll, sender } from '../src/testing';

const url = process.env.HEALTHCHAIN_WEB_URL!;
const manifestPath = process.env.HEALTHCHAIN_WEB_MANIFEST!;
const custodianUrl = process.env.HEALTHCHAIN_WEB_CUSTODIAN;
let suite: Suite;
const patient = sender(CAST.patient);
const clinician = sender(CAST.clinician);
const author = sender(CAST.author);
const stranger = sender(CAST.pharmacy);

beforeAll(async () => {
  suite = await openDeployment(url, manifestPath);
  await credentialCast(suite);
}, 120_000);
afterAll(async () => {
  await suite?.client.disconnect().catch(() => {});
});

describe('consent and records on a node', () => {
  it('grant, list, revoke; refusals are typed with plain sentences', async () => {
    const stages: string[] = [];
    const { value: id } = await consent.grant(suite, patient, {
      patient: patient.address, grantee: devAccount(CAST.author).address, purposes: ['Research'], classes: ['Labs'], actions: ['Read'],
    }, (p) => stages.push(p.stage));
    expect(stages).toEqual(expect.arrayContaining(['checking', 'signing', 'in-block', 'finalized']));
    const page = await consent.consentsOf(suite, patient.address);
    expect(page.items.some((c) => c.id === id && c.status === 'Active')).toBe(true);
    await consent.revoke(suite, patient, id);
    expect((await consent.consentsOf(suite, patient.address)).items.find((c) => c.id === id)?.status).toBe('Revoked');
    const again = consent.revoke(suite, patient, id);
    await expect(again).rejects.toBeInstanceOf(ContractError);
    await expect(consent.revoke(suite, patient, id)).rejects.toThrow('This consent was already revoked.');
    await expect(consent.revoke(suite, stranger, id)).rejects.toMatchObject({ code: 'NotPatientOrDelegate' });
  }, 120_000);

  it('an access request: the patient sees it pending and declines', async () => {
    const { value: request } = await consent.requestAccess(suite, author, { patient: patient.address, purpose: 'Treatment', classes: [], general: true, actions: ['Read'] });
    expect((await consent.pendingRequests(suite, patient.address)).items.map((r) => r.id)).toContain(request);
    await consent.declineRequest(suite, patient, request);
    expect((await consent.pendingRequests(suite, patient.address)).items.map((r) => r.id)).not.toContain(request);
  }, 120_000);
});

describe('delegates and emergencies on a node', () => {
  it('the patient adds and removes a delegate', async () => {
    await consent.addDelegate(suite, patient, { patient: patient.address, delegate: stranger.address, purposes: ['Treatment'], classes: [], general: true, actions: ['Read'] });
    expect((await consent.delegates(suite, patient.address)).map((d) => addressOf(d.delegate))).toContain(stranger.address);
    await consent.removeDelegate(suite, patient, patient.address, stranger.address);
    expect((await consent.delegates(suite, patient.address)).map((d) => addressOf(d.delegate))).not.toContain(stranger.address);
  }, 120_000);

  it('a provider breaks the glass; the patient sees it unreviewed and reviews it', async () => {
    const { value: emergency } = await consent.declareEmergency(suite, author, patient.address, new Uint8Array(32).fill(5));
    expect((await consent.unreviewedEmergencies(suite, patient.address)).items.map((e) => e.id)).toContain(emergency);
    await expect(consent.reviewEmergency(suite, author, emergency, true)).rejects.toBeInstanceOf(ContractError);
    await consent.reviewEmergency(suite, patient, emergency, false);
    expect((await consent.unreviewedEmergencies(suite, patient.address)).items.map((e) => e.id)).not.toContain(emergency);
    await consent.endEmergency(suite, patient, emergency);
  }, 120_000);
});

describe.skipIf(!custodianUrl)('records off chain with a custodian', () => {
  it('an author writes a note; the clinician reads it; the disclosure is logged; after revocation the open is refused', async () => {
    const api = new Custodian(custodianUrl!);
    await revokeAll(suite, patient);
    await consent.grant(suite, patient, {
      patient: patient.address, grantee: author.address, purposes: ['Treatment'], classes: [], general: true, actions: ['Read', 'Write'],
    });
    const { value: grant } = await consent.grant(suite, patient, {
      patient: patient.address, grantee: clinician.address, purposes: ['Treatment'], classes: [], general: true, actions: ['Read'],
    });
    const note = new TextEncoder().encode('Progress note: chest pain resolved; continue aspirin 81 mg daily.');
    const record = await flows.put(suite, api, author, patient.address, 'Encounters', note, custodianUrl!);
    const before = (await records.disclosures(suite, patient.address, 0n, 100)).len;
    const read = await flows.get(suite, api, clinician, record, 'Treatment');
    expect(new TextDecoder().decode(read)).toBe(new TextDecoder().decode(note));
    const log = await records.disclosures(suite, patient.address, 0n, 100);
    expect(log.len).toBe(before + 1n);
    expect(log.items.some((d) => d.record === record && addressOf(d.accessor) === clinician.address)).toBe(true);
    expect((await api.releases(0, 1000)).items.some((row) => BigInt(row.record) === record)).toBe(true);
    await consent.revoke(suite, patient, grant);
    await expect(flows.get(suite, api, clinician, record, 'Treatment')).rejects.toThrow(/Access denied: the patient revoked your consent/);
    await expect(flows.get(suite, api, stranger, record, 'Treatment')).rejects.toMatchObject({ code: 'RoleNotHeld' });
  }, 180_000);
});
