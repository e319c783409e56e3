import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as f from '../src/format';

const vectors = JSON.parse(readFileSync(new URL('../../../format/vectors.json', import.meta.url), 'utf8'));
const h = f.fromHex;
const binding: f.Binding = { genesis: h(vectors.binding.genesis), records: h(vectors.binding.records) };
const hex = f.toHex;

describe('format/vectors.json, byte for byte', () => {
  const d = vectors.document;
  it('document: aad, blob, content hash, locator, decryption', () => {
    const aad = f.recordAad(binding, h(d.patient), d.class);
    expect(hex(aad)).toBe(d.aad);
    const blob = f.encryptDocument(h(d.data_key), aad, h(d.plaintext), h(d.nonce));
    expect(hex(blob)).toBe(d.blob);
    expect(hex(f.contentHash(blob))).toBe(d.content_hash);
    expect(f.locator('https://custodian.example/', f.contentHash(blob))).toBe(d.locator);
    expect(hex(f.decryptDocument(h(d.data_key), aad, blob))).toBe(d.plaintext);
  });

  it('document: another class, patient or chain fails the tag', () => {
    const blob = h(d.blob);
    expect(() => f.decryptDocument(h(d.data_key), f.recordAad(binding, h(d.patient), d.class + 1), blob)).toThrow(f.FormatError);
    const other = { ...binding, genesis: new Uint8Array(32) };
    expect(() => f.decryptDocument(h(d.data_key), f.recordAad(other, h(d.patient), d.class), blob)).toThrow(/does not decrypt/);
  });

  it('deposit: context, sealed key, message; the custodian opens it; the signature verifies', () => {
    const v = vectors.deposit;
    const r = v.request;
    expect(hex(f.x25519Public(h(v.custodian_secret)))).toBe(v.custodian_key);
    const context = f.depositContext(binding, r.record, h(r.content_hash));
    expect(hex(context)).toBe(v.context);
    const sealed = f.sealKey(h(d.data_key), h(v.custodian_key), context, h(v.ephemeral_secret), h(r.sealed_key.nonce));
    expect(f.sealedKeyJson(sealed)).toEqual(r.sealed_key);
    expect(hex(f.depositMessage(binding, r.record, h(r.content_hash), sealed, r.time_ms))).toBe(v.message);
    expect(hex(f.openSealedKey(sealed, h(v.custodian_secret), context))).toBe(d.data_key);
    const author = f.srPublic(f.srSecretFromSeed(h(vectors.signers.author_seed)));
    expect(hex(author)).toBe(r.author);
    expect(f.srVerify(author, h(v.message), h(r.signature))).toBe(true);
    expect(f.srVerify(author, h(vectors.release.message), h(r.signature))).toBe(false);
  });

  it('release: message, digest, the custodian-sealed key opens with the reader ephemeral secret', () => {
    const v = vectors.release;
    const r = v.request;
    expect(hex(f.x25519Public(h(v.reader_ephemeral_secret)))).toBe(r.ephemeral_public);
    const message = f.releaseMessage(binding, r.record, h(r.block), h(r.ephemeral_public), r.time_ms);
    expect(hex(message)).toBe(v.message);
    const digest = f.releaseDigest(message);
    expect(hex(digest)).toBe(v.digest);
    const sealed = f.sealKey(h(d.data_key), h(r.ephemeral_public), digest, h(v.custodian_ephemeral_secret), h(v.sealed_key.nonce));
    expect(f.sealedKeyJson(sealed)).toEqual(v.sealed_key);
    expect(hex(f.openSealedKey(f.sealedKeyFromJson(v.sealed_key), h(v.reader_ephemeral_secret), digest))).toBe(d.data_key);
    expect(() => f.openSealedKey(f.sealedKeyFromJson(v.sealed_key), h(v.reader_ephemeral_secret), new Uint8Array(32))).toThrow(/does not open/);
    const reader = f.srPublic(f.srSecretFromSeed(h(vectors.signers.reader_seed)));
    expect(hex(reader)).toBe(r.reader);
    expect(f.srVerify(reader, message, h(r.signature))).toBe(true);
  });

  it('signatures made here verify (randomized, so never equal to the vectors)', () => {
    const secret = f.srSecretFromSeed(h(vectors.signers.reader_seed));
    const message = h(vectors.release.message);
    const signature = f.srSign(secret, message);
    expect(f.srVerify(f.srPublic(secret), message, signature)).toBe(true);
    expect(hex(signature)).not.toBe(vectors.release.request.signature);
  });

  it('refuses a low-order public key and bad hex', () => {
    expect(() => f.sealKey(new Uint8Array(32), new Uint8Array(32), new Uint8Array(32))).toThrow(/low-order/);
    expect(() => f.fromHex('0xzz')).toThrow(f.FormatError);
    expect(() => f.fromHex('0x00', 32)).toThrow(/expected 32 bytes/);
  });
});
