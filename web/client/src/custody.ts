// Pharmacy adapter, kept small on purpose: the custody contract's messages are changing. Regenerate the types
// (scripts/web.sh types) and adjust only this file when they do.
import { read, type Suite } from './chain';
import { ClientError } from './errors';

export interface Pack {
  gtin: string;
  serial: string;
  lot: string;
  /** ms since the epoch at 00:00 UTC of the expiry day */
  expiry: number;
  /** the GS1 AI(17) YYMMDD as printed on the pack (DD 00: the end of the month), when known */
  expiryGs1?: string;
}

export interface PackVerification {
  authentic: boolean;
  reason: string;
  owner?: string;
  unit?: bigint;
}

/** YYMMDD of a day (ms at 00:00 UTC). */
export const toGs1Date = (ms: number) => new Date(ms).toISOString().slice(2, 10).replace(/-/g, '');

/** The metadata's display name of an argument of a message (the adapter follows the deployed contract's shape). */
function argType(suite: Suite, message: string, index: number): string | undefined {
  const meta = (suite.custody as unknown as { metadata: { spec: { messages: { label: string; args: { type: { displayName: string[] } }[] }[] } } }).metadata;
  return meta.spec.messages.find((m) => m.label === message)?.args[index]?.type.displayName.join('::');
}

/** The expiry argument as the deployed contract takes it: GS1 YYMMDD (String) or ms (Timestamp). */
export function expiryArg(suite: Suite, message: string, index: number, pack: { expiry: number; expiryGs1?: string }): unknown {
  return argType(suite, message, index) === 'String' ? pack.expiryGs1 ?? toGs1Date(pack.expiry) : BigInt(pack.expiry);
}

type AnyVerification = {
  authentic?: boolean; reason?: string; saleable?: boolean; identifier?: string; disposition?: string | { type: string };
  owner?: unknown; unit?: bigint;
};

export async function verifyPack(suite: Suite, caller: string, pack: Pack): Promise<PackVerification> {
  if (!suite.custody) throw new ClientError('no_custody', 'the deployment has no custody contract');
  const v = await read<AnyVerification>(suite.custody, 'custody', 'verify', [pack.gtin, pack.serial, pack.lot, expiryArg(suite, 'verify', 3, pack)], caller);
  // Two shapes: {authentic, reason} (custody until the GS1 rework) and {identifier, saleable, disposition}.
  const disposition = typeof v.disposition === 'object' ? v.disposition?.type : v.disposition;
  const authentic = v.authentic ?? v.saleable ?? false;
  const reason = v.reason ?? (v.identifier && v.identifier !== 'Genuine' ? v.identifier : disposition ?? 'UnknownSerial');
  return { authentic, reason: authentic ? 'Authentic' : reason, owner: v.owner ? String(v.owner) : undefined, unit: v.unit };
}

const GS = '\u001d';

/**
 * Parses a GS1 element string as a DataMatrix carries it: (01) GTIN, (17) expiry YYMMDD, (10) lot, (21) serial;
 * variable-length fields end with the FNC1 separator (GS, or a literal "<GS>"), or are written with parentheses.
 */
export function parseGs1(text: string): Pack {
  let s = text.trim().replace(/^\]d2/, '').replace(/<GS>/gi, GS);
  if (s.includes('(')) s = s.replace(/\((\d\d)\)/g, (_, ai, offset) => (offset === 0 ? ai : GS + ai));
  const out: Partial<Record<string, string>> = {};
  let i = 0;
  while (i < s.length) {
    if (s[i] === GS) { i++; continue; }
    const ai = s.slice(i, i + 2);
    i += 2;
    if (ai === '01') { out.gtin = s.slice(i, i + 14); i += 14; }
    else if (ai === '17') { out.expiry = s.slice(i, i + 6); i += 6; }
    else if (ai === '10' || ai === '21') {
      const end = s.indexOf(GS, i);
      out[ai] = s.slice(i, end < 0 ? s.length : end);
      i = end < 0 ? s.length : end + 1;
    } else throw new ClientError('gs1_invalid', `unsupported GS1 application identifier (${ai}): expected 01, 17, 10 and 21`);
  }
  if (!out.gtin || !out.expiry || !out['10'] || !out['21']) {
    throw new ClientError('gs1_invalid', 'the GS1 string needs (01) GTIN, (17) expiry, (10) lot and (21) serial');
  }
  return { gtin: out.gtin, serial: out['21']!, lot: out['10']!, expiry: gs1Expiry(out.expiry), expiryGs1: out.expiry };
}

/** YYMMDD (DD 00 = the last day of the month) to ms since the epoch at 00:00 UTC of that day. */
export function gs1Expiry(yymmdd: string): number {
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  let dd = Number(yymmdd.slice(4, 6));
  const year = 2000 + yy;
  if (dd === 0) dd = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  return Date.UTC(year, mm - 1, dd);
}
