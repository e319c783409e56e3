// Contract errors turned into typed errors with a plain sentence. The error names are the contracts' `Error` enums
// (generated types); a name without a sentence here still reads as words ("NotPatientOrDelegate" -> "not patient
// or delegate"), so a new variant never shows as raw data.

/** A contract refused a message: `code` is the error's variant name, `detail` its payload if any. */
export class ContractError extends Error {
  readonly contract: string;
  readonly call: string;
  readonly code: string;
  readonly detail: unknown;
  constructor(contract: string, call: string, code: string, detail: unknown, sentence: string) {
    super(sentence);
    this.name = 'ContractError';
    this.contract = contract;
    this.call = call;
    this.code = code;
    this.detail = detail;
  }
}

/** The node, the manifest or the custodian failed: one plain line with the fix. */
export class ClientError extends Error {
  readonly code: string;
  constructor(code: string, sentence: string) {
    super(sentence);
    this.name = 'ClientError';
    this.code = code;
  }
}

const SENTENCES: Record<string, string> = {
  // shared
  NotAdmin: 'Only the contract admin (the council) may do this.',
  Overflow: 'A counter would overflow; nothing was changed.',
  ParticipantsUnreachable: 'The participants contract did not answer; try again or ask the operator.',
  ConsentUnreachable: 'The consent contract did not answer; try again or ask the operator.',
  RoleNotHeld: 'Your account does not hold the credential this needs',
  // consent
  NotPatientOrDelegate: 'Only the patient, or a delegate acting for them, may do this.',
  EmptyPurposes: 'Choose at least one purpose.',
  EmptyClasses: 'Choose at least one data class.',
  EmptyActions: 'Choose at least one action (read or write).',
  InvalidPeriod: 'The period is invalid: the end must come after the start.',
  PeriodEnded: 'The period has already ended.',
  SelfGrant: 'A patient cannot grant consent to themselves.',
  InvalidGrantee: 'That grantee cannot receive a consent.',
  ConsentNotFound: 'There is no such consent.',
  AlreadyRevoked: 'This consent was already revoked.',
  TooManyActiveConsents: 'You have too many active consents: revoke one first.',
  NotOwnGrant: 'A delegate may revoke only the consents it granted.',
  NotProvider: 'Only a credentialed provider may do this.',
  EmergencyActive: 'An emergency access is already active for this patient.',
  EmergencyCoolingDown: 'Emergency access was used recently: wait for the cooldown to end.',
  NotCredentialedForPurpose: 'Your credentials do not cover that purpose.',
  RequestPending: 'You already have a pending request for this patient.',
  RequestNotFound: 'There is no such access request.',
  RequestNotPending: 'That access request is no longer pending.',
  NotRequestPatient: 'Only the patient the request is addressed to may answer it.',
  NotRequester: 'Only the requester may withdraw the request.',
  // records
  RecordNotFound: 'There is no such record.',
  NotAuthor: 'Only the record author may do this.',
  NotPatient: 'Only the patient may do this.',
  Erased: 'The record was erased by the patient.',
  AlreadyErased: 'The record was already erased.',
  EnteredInError: 'The record was marked as entered in error.',
  EmptyLocator: 'The record needs a locator.',
  LocatorTooLong: 'The locator is too long.',
  Denied: 'Access denied',
};

const DENIED: Record<string, (value: unknown) => string> = {
  NoConsent: () => 'the patient has not given you consent for this',
  DeniedByConsent: (id) => `the patient denies it (consent #${id})`,
  Expired: (id) => `your consent #${id} has expired`,
  NotYetValid: (id) => `your consent #${id} is not valid yet`,
  Revoked: (id) => `the patient revoked your consent #${id}`,
  RoleNotHeld: (role) => `you do not hold the ${role} credential`,
  ParticipantsUnreachable: () => 'the participants contract did not answer',
};

export function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The error's variant name and payload, for both unit variants ("NotAdmin") and `{type, value}` variants. */
export function errorParts(err: unknown): { code: string; detail: unknown } {
  if (typeof err === 'string') return { code: err, detail: undefined };
  if (err && typeof err === 'object' && 'type' in err) {
    return { code: String((err as { type: string }).type), detail: (err as { value?: unknown }).value };
  }
  return { code: 'Unknown', detail: err };
}

export function sentenceOf(code: string, detail: unknown): string {
  if (code === 'Denied') {
    const { code: reason, detail: value } = errorParts(detail);
    const because = DENIED[reason]?.(value) ?? words(reason);
    return `Access denied: ${because}.`;
  }
  if (code === 'RoleNotHeld') return `Your account does not hold the ${String(detail)} credential this needs.`;
  const known = SENTENCES[code];
  if (known) return known;
  const text = words(code);
  return `Refused: ${text.charAt(0).toUpperCase()}${text.slice(1)}${detail !== undefined ? ` (${String(detail)})` : ''}.`;
}

export function contractError(contract: string, call: string, err: unknown): ContractError {
  const { code, detail } = errorParts(err);
  return new ContractError(contract, call, code, detail, sentenceOf(code, detail));
}

/** A plain sentence for anything thrown by this client, dedot or the browser. */
export function plain(error: unknown): string {
  if (error instanceof ContractError || error instanceof ClientError) return error.message;
  if (error instanceof Error) {
    if (/Cancelled|Rejected by user/i.test(error.message)) return 'You cancelled the signature in your wallet.';
    if (/Inability to pay|InsufficientBalance|BalanceLow|FundsUnavailable/i.test(error.message)) {
      return 'Your account cannot pay the fee or storage deposit: fund it and try again.';
    }
    return error.message;
  }
  return String(error);
}
