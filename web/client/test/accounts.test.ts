import { describe, expect, it } from 'vitest';
import { decodeSs58, devAccount, ss58 } from '../src/accounts';
import { srVerify, toHex } from '../src/format';

describe('development accounts', () => {
  it('derive the well-known addresses', () => {
    expect(devAccount('Alice').address).toBe('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
    expect(devAccount('Bob').address).toBe('5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty');
    expect(toHex(devAccount('Alice').publicKey)).toBe('0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d');
  });
  it('round-trip SS58 and refuse a bad checksum', () => {
    const alice = devAccount('Alice');
    expect(toHex(decodeSs58(alice.address))).toBe(toHex(alice.publicKey));
    expect(ss58(alice.publicKey)).toBe(alice.address);
    expect(() => decodeSs58(alice.address.slice(0, -1) + 'Z')).toThrow(/checksum|SS58/);
  });
  it('sign bytes the custodian verifies', async () => {
    const charlie = devAccount('Charlie');
    const message = new TextEncoder().encode('healthchain/release/v1 ...');
    expect(srVerify(charlie.publicKey, message, await charlie.signBytes(message))).toBe(true);
  });
});
