import { describe, expect, it } from 'vitest';
import { ContractError, contractError, plain, sentenceOf, words } from '../src/errors';
import { unwrap } from '../src/chain';

describe('contract errors as plain sentences', () => {
  it('unit variants, with a sentence or as words', () => {
    expect(sentenceOf('AlreadyRevoked', undefined)).toBe('This consent was already revoked.');
    expect(sentenceOf('SomeNewVariant', undefined)).toBe('Refused: Some new variant.');
    expect(words('NotPatientOrDelegate')).toBe('not patient or delegate');
  });
  it('records.open refusals name the reason', () => {
    expect(sentenceOf('Denied', { type: 'Revoked', value: 3n })).toBe('Access denied: the patient revoked your consent #3.');
    expect(sentenceOf('Denied', { type: 'NoConsent' })).toBe('Access denied: the patient has not given you consent for this.');
    expect(sentenceOf('RoleNotHeld', 'Provider')).toBe('Your account does not hold the Provider credential this needs.');
  });
  it('a Result with an error becomes a typed ContractError', () => {
    expect(() => unwrap('records', 'open', { isErr: true, err: { type: 'Denied', value: { type: 'NoConsent' } } })).toThrow(ContractError);
    const e = contractError('consent', 'revoke', 'ConsentNotFound');
    expect([e.contract, e.call, e.code, e.message]).toEqual(['consent', 'revoke', 'ConsentNotFound', 'There is no such consent.']);
    expect(unwrap('records', 'record', { isOk: true, value: 5 })).toBe(5);
    expect(plain(e)).toBe('There is no such consent.');
  });
});
