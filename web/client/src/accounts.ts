// Development accounts (//Alice, //Bob, ...) derived from Substrate's well-known development phrase, and a keyring
// pair dedot signs with. For tests and the local demo only: these keys are public knowledge.
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { base58 } from '@scure/base';
import * as sr25519 from '@scure/sr25519';
import { concat, toHex } from './format';

export const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
export const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'] as const;
export type DevName = (typeof DEV_NAMES)[number];

/** substrate-bip39: the mini secret is PBKDF2-SHA512(entropy, "mnemonic" + password, 2048)[..32]. */
export function miniSecretFromPhrase(phrase: string, password = ''): Uint8Array {
  const entropy = mnemonicToEntropy(phrase, wordlist);
  return pbkdf2(sha512, entropy, new TextEncoder().encode(`mnemonic${password}`), { c: 2048, dkLen: 64 }).slice(0, 32);
}

/** A hard junction's chain code: the SCALE encoding of the junction (a string), zero-padded to 32 bytes. */
function chainCode(junction: string): Uint8Array {
  const out = new Uint8Array(32);
  if (/^\d+$/.test(junction)) {
    new DataView(out.buffer).setBigUint64(0, BigInt(junction), true);
    return out;
  }
  const bytes = new TextEncoder().encode(junction);
  const encoded = concat(Uint8Array.of(bytes.length << 2), bytes);
  if (encoded.length > 32) return blake2b(encoded, { dkLen: 32 });
  out.set(encoded);
  return out;
}

/** The sr25519 secret of a secret URI made of the dev phrase (or a phrase) and hard junctions: `//Alice`. */
export function secretFromUri(uri: string): Uint8Array {
  const at = uri.indexOf('//');
  const phrase = at <= 0 ? DEV_PHRASE : uri.slice(0, at).trim();
  const path = at < 0 ? '' : uri.slice(at);
  let secret: Uint8Array = sr25519.secretFromSeed(miniSecretFromPhrase(phrase));
  for (const junction of path.split('//').filter(Boolean)) {
    if (junction.includes('/')) throw new Error(`soft junctions are not supported here: ${uri}`);
    secret = sr25519.HDKD.secretHard(secret, chainCode(junction));
  }
  return secret;
}

const SS58_PREFIX = new TextEncoder().encode('SS58PRE');

export function ss58(publicKey: Uint8Array, prefix = 42): string {
  const body = concat(Uint8Array.of(prefix), publicKey);
  const checksum = blake2b(concat(SS58_PREFIX, body), { dkLen: 64 }).slice(0, 2);
  return base58.encode(concat(body, checksum));
}

export function decodeSs58(address: string): Uint8Array {
  let raw: Uint8Array;
  try {
    raw = base58.decode(address);
  } catch {
    throw new Error(`not an SS58 address: ${address}`);
  }
  if (raw.length !== 35) throw new Error(`not a 32-byte account address: ${address}`);
  const body = raw.slice(0, 33);
  const checksum = blake2b(concat(SS58_PREFIX, body), { dkLen: 64 }).slice(0, 2);
  if (checksum[0] !== raw[33] || checksum[1] !== raw[34]) throw new Error(`bad SS58 checksum: ${address}`);
  return raw.slice(1, 33);
}

/** What dedot signs extrinsics with (an IKeyringPair) plus the raw message signing the custodian needs. */
export interface KeyPair {
  address: string;
  publicKey: Uint8Array;
  sign(message: Uint8Array, options?: { withType?: boolean }): Uint8Array;
  /** sr25519 signature (signing context "substrate") of exactly these bytes: release and deposit requests. */
  signBytes(message: Uint8Array): Promise<Uint8Array>;
}

export function keyPair(uri: string): KeyPair {
  const secret = secretFromUri(uri);
  const publicKey = sr25519.getPublicKey(secret);
  return {
    address: ss58(publicKey),
    publicKey,
    sign: (message, options) => {
      const signature = sr25519.sign(secret, message);
      return options?.withType ? concat(Uint8Array.of(1), signature) : signature;
    },
    signBytes: async (message) => sr25519.sign(secret, message),
  };
}

export const devAccount = (name: DevName): KeyPair => keyPair(`//${name}`);
export const hexOf = toHex;

/** The 32 bytes of an account given as SS58, 0x-hex or dedot's AccountId32. */
export function accountBytes(account: unknown): Uint8Array {
  if (typeof account === 'string') {
    if (/^0x[0-9a-fA-F]{64}$/.test(account)) return Uint8Array.from(account.slice(2).match(/../g)!.map((b) => parseInt(b, 16)));
    return decodeSs58(account);
  }
  const raw = (account as { raw?: string })?.raw;
  if (typeof raw === 'string') return accountBytes(raw);
  throw new Error(`not an account: ${String(account)}`);
}

/** SS58 (generic prefix 42) of an account in any of those forms. */
export const addressOf = (account: unknown): string => ss58(accountBytes(account));
