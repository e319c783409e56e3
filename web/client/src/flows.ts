// The off-chain flows across chain and custodian (docs/offchain-format.md): write an encrypted record, read one.
import { accountBytes, decodeSs58 } from './accounts';
import { send, type OnProgress, type Sender, type Suite } from './chain';
import { Custodian, CustodianError } from './custodian';
import { ClientError } from './errors';
import * as f from './format';
import * as records from './records';
import { CLASSES, type DataClass, type Purpose } from './vocabulary';

/** sr25519 signature of exactly `message`: a key pair's, or the injected wallet's `signRaw`. */
export async function signBytes(sender: Sender, message: Uint8Array): Promise<Uint8Array> {
  if (sender.pair) return sender.pair.signBytes(message);
  if (!sender.signer?.signRaw) throw new ClientError('no_signer', 'your wallet cannot sign messages: use a wallet with signRaw');
  const { signature } = await sender.signer.signRaw({ address: sender.address, data: f.toHex(message), type: 'bytes' });
  const bytes = f.fromHex(signature);
  return bytes.length === 65 ? bytes.slice(1) : bytes;
}

async function checkBinding(suite: Suite, api: Custodian) {
  const info = await api.info();
  if (info.genesis.toLowerCase() !== f.toHex(suite.binding.genesis) || info.records.toLowerCase() !== f.toHex(suite.binding.records)) {
    throw new ClientError('custodian_binding', "the custodian serves another chain or records contract than this deployment: use the custodian of the manifest's records contract");
  }
  return info;
}

export type Step = (text: string) => void;

/**
 * Encrypts a document under a fresh data key, stores the blob with the custodian, registers the record on chain
 * and, once finalized, deposits the key sealed to the custodian. Resolves with the record id.
 */
export async function put(
  suite: Suite, api: Custodian, author: Sender, patient: string, dataClass: DataClass, document: Uint8Array,
  locatorBase: string, onProgress?: OnProgress, step: Step = () => {},
): Promise<bigint> {
  const info = await checkBinding(suite, api);
  const key = f.randomBytes(32);
  const blob = f.encryptDocument(key, f.recordAad(suite.binding, decodeSs58(patient), CLASSES.indexOf(dataClass)), document);
  const hash = f.contentHash(blob);
  step('encrypted the note and stored the blob with the custodian');
  await api.putBlob(hash, blob);
  const { value: record } = await records.register(suite, author, patient, dataClass, hash, f.locator(locatorBase, hash), onProgress);
  const sealed = f.sealKey(key, f.fromHex(info.custodian_key, 32), f.depositContext(suite.binding, record, hash));
  const timeMs = Date.now();
  const signature = await signBytes(author, f.depositMessage(suite.binding, record, hash, sealed, timeMs));
  await retryFinality(() =>
    api.deposit({
      record: Number(record), author: f.toHex(decodeSs58(author.address)), content_hash: f.toHex(hash),
      sealed_key: f.sealedKeyJson(sealed), time_ms: timeMs, signature: f.toHex(signature),
    }),
  );
  step(`registered record #${record} and deposited its key`);
  return record;
}

/** The custodian follows finalized blocks: it may not have seen our block yet. */
async function retryFinality<T>(fn: () => Promise<T>, tries = 20): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (error) {
      const code = (error as CustodianError).code;
      const retry = ['block_not_finalized', 'block_not_found', 'record_not_found', 'open_not_found', 'chain_unavailable'].includes(code);
      if (!retry || i >= tries) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Opens a record (the signed, finalized `records.open`: a disclosure entry), asks the custodian for its key sealed
 * to a fresh X25519 key, downloads the blob, checks its hash against the chain, and decrypts it.
 */
export async function get(
  suite: Suite, api: Custodian, reader: Sender, id: bigint, purpose: Purpose, onProgress?: OnProgress, step: Step = () => {},
): Promise<Uint8Array> {
  await checkBinding(suite, api);
  const pointer = await records.record(suite, id, reader.address);
  if (!pointer) throw new ClientError('record_not_found', `there is no record #${id}`);
  const opened = await records.open(suite, reader, id, purpose, onProgress);
  step(`opened record #${id} (finalized in block #${opened.blockNumber}): the patient sees it in their log`);
  const secret = f.randomBytes(32);
  const ephemeral = f.x25519Public(secret);
  const block = f.fromHex(opened.blockHash, 32);
  const released = await retryFinality(async () => {
    const timeMs = Date.now();
    const message = f.releaseMessage(suite.binding, id, block, ephemeral, timeMs);
    const signature = await signBytes(reader, message);
    const answer = await api.release({
      record: Number(id), reader: f.toHex(decodeSs58(reader.address)), block: opened.blockHash,
      ephemeral_public: f.toHex(ephemeral), time_ms: timeMs, signature: f.toHex(signature),
    });
    return { answer, digest: f.releaseDigest(message) };
  });
  const key = f.openSealedKey(released.answer.sealed_key, secret, released.digest);
  step('the custodian released the key, sealed to this browser');
  const hash = f.fromHex(String(pointer.contentHash), 32);
  const blob = await api.getBlob(hash);
  if (f.toHex(f.contentHash(blob)) !== f.toHex(hash)) {
    throw new ClientError('hash_mismatch', 'the downloaded blob does not match the content hash on chain: the custodian served other bytes');
  }
  const aad = f.recordAad(suite.binding, accountBytes(pointer.patient), CLASSES.indexOf(pointer.class));
  return f.decryptDocument(key, aad, blob);
}

export { send };
