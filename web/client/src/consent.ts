// The consent flows apps need: grant, revoke, list; access requests; delegates; emergencies.
import type { ConsentAccessRequest, ConsentConsentEntry, ConsentDelegation, ConsentEmergency } from './generated/consent/index.js';
import { read, send, type OnProgress, type Sender, type Suite } from './chain';
import { actionSet, classSet, purposeSet, type Action, type DataClass, type Purpose } from './vocabulary';

export type { ConsentAccessRequest, ConsentConsentEntry, ConsentDelegation, ConsentEmergency };

export interface Page<T> {
  items: T[];
  next?: bigint;
  len: bigint;
}

export interface GrantInput {
  patient: string;
  grantee: string;
  provision?: 'Permit' | 'Deny';
  purposes: Purpose[];
  classes: DataClass[];
  /** every non-sensitive class */
  general?: boolean;
  actions: Action[];
  /** ms since the epoch; 0 = from now */
  start?: number;
  end?: number;
  documentHash?: Uint8Array;
}

/** Grants a consent; resolves with its id once finalized. */
export async function grant(suite: Suite, sender: Sender, input: GrantInput, onProgress?: OnProgress) {
  const args = [
    input.patient,
    { type: 'Account', value: input.grantee },
    input.provision ?? 'Permit',
    purposeSet(input.purposes),
    classSet(input.classes, input.general),
    actionSet(input.actions),
    BigInt(input.start ?? 0),
    input.end === undefined ? undefined : BigInt(input.end),
    input.documentHash ?? new Uint8Array(32),
  ];
  return send<bigint>(suite.consent, 'consent', 'grant', args, sender, onProgress);
}

export const revoke = (suite: Suite, sender: Sender, consent: bigint, onProgress?: OnProgress) =>
  send<null>(suite.consent, 'consent', 'revoke', [consent], sender, onProgress);

/** A patient's consents, newest first, a page at a time (`from`: the `next` of the previous page). */
export const consentsOf = (suite: Suite, patient: string, from?: bigint, limit = 20) =>
  read<Page<ConsentConsentEntry>>(suite.consent, 'consent', 'consentsOf', [patient, from, limit], patient);

export const delegates = (suite: Suite, patient: string) =>
  read<ConsentDelegation[]>(suite.consent, 'consent', 'delegates', [patient], patient);

export const pendingRequests = (suite: Suite, patient: string, from?: bigint, limit = 20) =>
  read<Page<ConsentAccessRequest>>(suite.consent, 'consent', 'pendingRequests', [patient, from, limit], patient);

export const unreviewedEmergencies = (suite: Suite, patient: string, from?: bigint, limit = 20) =>
  read<Page<ConsentEmergency>>(suite.consent, 'consent', 'unreviewedEmergencies', [patient, from, limit], patient);

export interface AccessRequestInput {
  patient: string;
  purpose: Purpose;
  classes: DataClass[];
  general?: boolean;
  actions: Action[];
  end?: number;
  reasonHash?: Uint8Array;
}

export const requestAccess = (suite: Suite, sender: Sender, r: AccessRequestInput, onProgress?: OnProgress) =>
  send<bigint>(suite.consent, 'consent', 'requestAccess', [
    r.patient, r.purpose, classSet(r.classes, r.general), actionSet(r.actions),
    r.end === undefined ? undefined : BigInt(r.end), r.reasonHash ?? new Uint8Array(32),
  ], sender, onProgress);

export const approveRequest = (suite: Suite, sender: Sender, request: bigint, onProgress?: OnProgress) =>
  send<bigint>(suite.consent, 'consent', 'approveRequest', [request, new Uint8Array(32)], sender, onProgress);

export const declineRequest = (suite: Suite, sender: Sender, request: bigint, onProgress?: OnProgress) =>
  send<null>(suite.consent, 'consent', 'declineRequest', [request], sender, onProgress);

export const declareEmergency = (suite: Suite, sender: Sender, patient: string, reasonHash: Uint8Array, onProgress?: OnProgress) =>
  send<bigint>(suite.consent, 'consent', 'declareEmergency', [patient, reasonHash], sender, onProgress);

export const reviewEmergency = (suite: Suite, sender: Sender, emergency: bigint, justified: boolean, onProgress?: OnProgress) =>
  send<null>(suite.consent, 'consent', 'reviewEmergency', [emergency, justified, new Uint8Array(32)], sender, onProgress);

export interface DelegateInput {
  /** The patient the delegation is for: the caller itself, or a patient it represents. */
  patient: string;
  delegate: string;
  purposes: Purpose[];
  classes: DataClass[];
  general?: boolean;
  actions: Action[];
  expires?: number;
}

/** The patient (or its personal representative) lets a delegate grant and revoke consents for them, within a scope. */
export const addDelegate = (suite: Suite, sender: Sender, d: DelegateInput, onProgress?: OnProgress) =>
  send<bigint>(suite.consent, 'consent', 'addDelegate', [
    d.patient, d.delegate, purposeSet(d.purposes), classSet(d.classes, d.general), actionSet(d.actions), d.expires === undefined ? undefined : BigInt(d.expires),
  ], sender, onProgress);

export const removeDelegate = (suite: Suite, sender: Sender, patient: string, delegate: string, onProgress?: OnProgress) =>
  send<null>(suite.consent, 'consent', 'removeDelegate', [patient, delegate], sender, onProgress);

export const endEmergency = (suite: Suite, sender: Sender, emergency: bigint, onProgress?: OnProgress) =>
  send<null>(suite.consent, 'consent', 'endEmergency', [emergency], sender, onProgress);
