// The off-chain record format, version 1 (docs/offchain-format.md): the TypeScript twin of the Rust crate
// `healthchain-format`, checked byte for byte against format/vectors.json (client/test/format.test.ts).
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import * as sr25519 from '@scure/sr25519';

export const NONCE_LEN = 24;
const ascii = (text: string) => new TextEncoder().encode(text);
export const RECORD_DOMAIN = ascii('healthchain/record/v1');
export const SEAL_DOMAIN = ascii('healthchain/seal/v1');
export const DEPOSIT_DOMAIN = ascii('healthchain/deposit/v1');
export const RELEASE_DOMAIN = ascii('healthchain/release/v1');

/** The data classes by their index in the contract's `DataClass` (the associated data's last byte). */
export const DATA_CLASSES = [
  'Demographics', 'Encounters', 'Diagnoses', 'Labs', 'Imaging', 'Medications', 'Immunizations',
  'MentalHealth', 'SubstanceUse', 'Genomic', 'Reproductive',
] as const;
export type DataClassName = (typeof DATA_CLASSES)[number];

export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

/** A custodian's binding: the chain's genesis hash and its records contract (32 raw bytes each). */
export interface Binding {
  genesis: Uint8Array;
  records: Uint8Array;
}

export interface SealedKey {
  ephemeral_public: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function u64le(value: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), true);
  return out;
}

export function toHex(bytes: Uint8Array): `0x${string}` {
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function fromHex(text: string, length?: number): Uint8Array {
  const body = text.startsWith('0x') ? text.slice(2) : text;
  if (body.length % 2 !== 0 || /[^0-9a-fA-F]/.test(body)) throw new FormatError(`not hex: ${text.slice(0, 20)}`);
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(body.slice(2 * i, 2 * i + 2), 16);
  if (length !== undefined && out.length !== length) {
    throw new FormatError(`expected ${length} bytes of hex, got ${out.length}`);
  }
  return out;
}

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export const sha256 = (bytes: Uint8Array): Uint8Array => nobleSha256(bytes);

function prefix(domain: Uint8Array, binding: Binding): Uint8Array {
  if (binding.genesis.length !== 32 || binding.records.length !== 32) {
    throw new FormatError('a binding is a 32-byte genesis hash and a 32-byte records account');
  }
  return concat(domain, binding.genesis, binding.records);
}

// ------------------------------------------------------------------------------------------------ 1. the document

/** `"healthchain/record/v1" ‖ genesis ‖ records ‖ patient ‖ class`. */
export function recordAad(binding: Binding, patient: Uint8Array, dataClass: number): Uint8Array {
  if (!Number.isInteger(dataClass) || dataClass < 0 || dataClass >= DATA_CLASSES.length) {
    throw new FormatError(`unknown data class index ${dataClass}`);
  }
  return concat(prefix(RECORD_DOMAIN, binding), patient, Uint8Array.of(dataClass));
}

/** `blob = nonce ‖ XChaCha20-Poly1305(key, nonce, document, aad)`; a fresh nonce unless one is given (vectors). */
export function encryptDocument(key: Uint8Array, aad: Uint8Array, document: Uint8Array, nonce = randomBytes(NONCE_LEN)): Uint8Array {
  if (key.length !== 32) throw new FormatError('a data key is 32 bytes');
  return concat(nonce, xchacha20poly1305(key, nonce, aad).encrypt(document));
}

export function decryptDocument(key: Uint8Array, aad: Uint8Array, blob: Uint8Array): Uint8Array {
  if (blob.length < NONCE_LEN + 16) throw new FormatError('the blob is too short to be a sealed document');
  try {
    return xchacha20poly1305(key, blob.subarray(0, NONCE_LEN), aad).decrypt(blob.subarray(NONCE_LEN));
  } catch {
    throw new FormatError('the document does not decrypt: wrong key, or the blob belongs to another patient, class or chain');
  }
}

export const contentHash = (blob: Uint8Array): Uint8Array => sha256(blob);

export function locator(custodianBaseUrl: string, hash: Uint8Array): string {
  return `${custodianBaseUrl.replace(/\/+$/, '')}/v1/blobs/${toHex(hash)}`;
}

// -------------------------------------------------------------------------------------------------- 2. sealing

export const x25519Public = (secret: Uint8Array): Uint8Array => x25519.getPublicKey(secret);

function agree(secret: Uint8Array, pub: Uint8Array): Uint8Array {
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(secret, pub);
  } catch {
    throw new FormatError('a low-order X25519 public key is refused');
  }
  if (shared.every((b) => b === 0)) throw new FormatError('a low-order X25519 public key is refused');
  return shared;
}

function sealDerive(shared: Uint8Array, ephemeralPublic: Uint8Array, to: Uint8Array): Uint8Array {
  return sha256(concat(SEAL_DOMAIN, shared, ephemeralPublic, to));
}

export function sealKey(
  key: Uint8Array,
  to: Uint8Array,
  context: Uint8Array,
  ephemeralSecret = randomBytes(32),
  nonce = randomBytes(NONCE_LEN),
): SealedKey {
  const shared = agree(ephemeralSecret, to);
  const ephemeral_public = x25519Public(ephemeralSecret);
  const derived = sealDerive(shared, ephemeral_public, to);
  return { ephemeral_public, nonce, ciphertext: xchacha20poly1305(derived, nonce, context).encrypt(key) };
}

export function openSealedKey(sealed: SealedKey, secret: Uint8Array, context: Uint8Array): Uint8Array {
  const shared = agree(secret, sealed.ephemeral_public);
  const derived = sealDerive(shared, sealed.ephemeral_public, x25519Public(secret));
  let key: Uint8Array;
  try {
    key = xchacha20poly1305(derived, sealed.nonce, context).decrypt(sealed.ciphertext);
  } catch {
    throw new FormatError('the sealed key does not open: it was sealed to another key or for another request');
  }
  if (key.length !== 32) throw new FormatError('a data key is 32 bytes');
  return key;
}

// ---------------------------------------------------------------------------------------------- signatures

/** sr25519 with the signing context "substrate" (what polkadot.js `sign` and subkey produce). */
export const srPublic = (secret: Uint8Array): Uint8Array => sr25519.getPublicKey(secret);
export const srSecretFromSeed = (seed: Uint8Array): Uint8Array => sr25519.secretFromSeed(seed);
export const srSign = (secret: Uint8Array, message: Uint8Array): Uint8Array => sr25519.sign(secret, message);
export const srVerify = (signer: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean => {
  try {
    return sr25519.verify(message, signature, signer);
  } catch {
    return false;
  }
};

// ---------------------------------------------------------------------------------------- 3. deposit, 4. release

export function depositContext(binding: Binding, record: bigint | number, hash: Uint8Array): Uint8Array {
  return sha256(concat(prefix(DEPOSIT_DOMAIN, binding), u64le(record), hash));
}

export function depositMessage(binding: Binding, record: bigint | number, hash: Uint8Array, sealed: SealedKey, timeMs: number): Uint8Array {
  return concat(prefix(DEPOSIT_DOMAIN, binding), u64le(record), hash, sealed.ephemeral_public, sealed.nonce, sealed.ciphertext, u64le(timeMs));
}

export function releaseMessage(binding: Binding, record: bigint | number, block: Uint8Array, ephemeralPublic: Uint8Array, timeMs: number): Uint8Array {
  return concat(prefix(RELEASE_DOMAIN, binding), u64le(record), block, ephemeralPublic, u64le(timeMs));
}

export const releaseDigest = (message: Uint8Array): Uint8Array => sha256(message);

/** The JSON bodies of the custodian's HTTP API (hex with 0x, numbers as JSON numbers). */
export const sealedKeyJson = (s: SealedKey) => ({
  ephemeral_public: toHex(s.ephemeral_public),
  nonce: toHex(s.nonce),
  ciphertext: toHex(s.ciphertext),
});

export const sealedKeyFromJson = (s: { ephemeral_public: string; nonce: string; ciphertext: string }): SealedKey => ({
  ephemeral_public: fromHex(s.ephemeral_public, 32),
  nonce: fromHex(s.nonce, NONCE_LEN),
  ciphertext: fromHex(s.ciphertext, 48),
});
