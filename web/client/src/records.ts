// The records flows apps need: a patient's records and accounting of disclosures (paged), a record, open, register.
import type { RecordsDisclosure, RecordsRecord } from './generated/records/index.js';
import { read, send, type OnProgress, type Sender, type Suite } from './chain';
import type { Page } from './consent';
import type { DataClass, Purpose } from './vocabulary';

export type { RecordsDisclosure, RecordsRecord };

export const recordsOf = (suite: Suite, patient: string, caller: string, from?: bigint, limit = 20) =>
  read<Page<bigint>>(suite.records, 'records', 'recordsOf', [patient, from, limit], caller);

export async function record(suite: Suite, id: bigint, caller: string): Promise<RecordsRecord | undefined> {
  return read<RecordsRecord | undefined>(suite.records, 'records', 'record', [id], caller);
}

/** The accounting of disclosures: who opened the patient's records, when, why and on what basis. */
export const disclosures = (suite: Suite, patient: string, from = 0n, limit = 20) =>
  read<Page<RecordsDisclosure>>(suite.records, 'records', 'disclosures', [patient, from, limit], patient);

/** Would `accessor` be allowed to open the record now (a read, nothing recorded)? */
export const canOpen = (suite: Suite, id: bigint, accessor: string, purpose: Purpose) =>
  read<unknown>(suite.records, 'records', 'canOpen', [id, accessor, purpose], accessor);

/** The signed open: one disclosure entry and a RecordOpened event the custodian releases the key against. */
export const open = (suite: Suite, sender: Sender, id: bigint, purpose: Purpose, onProgress?: OnProgress) =>
  send<unknown>(suite.records, 'records', 'open', [id, purpose], sender, onProgress);

export const register = (
  suite: Suite, sender: Sender, patient: string, dataClass: DataClass, contentHash: Uint8Array, locator: string, onProgress?: OnProgress,
) => send<bigint>(suite.records, 'records', 'register', [patient, dataClass, contentHash, new TextEncoder().encode(locator), undefined], sender, onProgress);

export const erase = (suite: Suite, sender: Sender, id: bigint, onProgress?: OnProgress) =>
  send<null>(suite.records, 'records', 'erase', [id], sender, onProgress);
