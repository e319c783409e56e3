// Connecting to a node with a deployment manifest, and sending contract transactions with their progress.
import { DedotClient, WsProvider } from 'dedot';
import { Contract } from 'dedot/contracts';
import type { InjectedSigner } from 'dedot/types';
import type { ConsentContractApi } from './generated/consent/index.js';
import type { CustodyContractApi } from './generated/custody/index.js';
import type { ParticipantsContractApi } from './generated/participants/index.js';
import type { RecordsContractApi } from './generated/records/index.js';
import { decodeSs58, type KeyPair } from './accounts';
import { ClientError, contractError } from './errors';
import { fromHex, toHex, type Binding } from './format';
import { checkDeployment, type ContractName, type Manifest } from './manifest';

export type Metadata = Partial<Record<ContractName, unknown>>;

/** Who signs: a key pair (tests, the CLI) or an injected wallet's signer (polkadot.js-extension compatible). */
export interface Sender {
  address: string;
  pair?: KeyPair;
  signer?: InjectedSigner;
}

export interface Suite {
  client: DedotClient;
  manifest: Manifest;
  binding: Binding;
  participants: Contract<ParticipantsContractApi>;
  consent: Contract<ConsentContractApi>;
  records: Contract<RecordsContractApi>;
  custody?: Contract<CustodyContractApi>;
}

export async function connect(url: string, timeoutMs = 15_000): Promise<DedotClient> {
  const provider = new WsProvider({ endpoint: url, retryDelayMs: 0, timeout: timeoutMs } as never);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ClientError('node_unreachable', `no node answered at ${url} within ${timeoutMs / 1000} s: start one (substrate-contracts-node --dev) or give its URL`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([DedotClient.legacy(provider), timeout]);
  } catch (error) {
    provider.disconnect().catch(() => {});
    if (error instanceof ClientError) throw error;
    throw new ClientError('node_unreachable', `could not connect to the node at ${url} (${(error as Error).message}): start one or give its URL`);
  }
  finally {
    clearTimeout(timer);
  }
}

/** The code hash pallet-contracts stores for an address. */
export async function codeHashAt(client: DedotClient, address: string): Promise<string | undefined> {
  const info = await client.query.contracts.contractInfoOf(address);
  return info ? String(info.codeHash) : undefined;
}

/** Opens the suite of a manifest: checks the genesis and each code hash, then builds the typed contracts. */
export async function openSuite(client: DedotClient, manifest: Manifest, metadata: Metadata): Promise<Suite> {
  const names = (Object.keys(metadata) as ContractName[]).filter((n) => manifest.contracts[n]);
  await checkDeployment(manifest, { genesisHash: client.genesisHash, codeHashAt: (a) => codeHashAt(client, a) }, metadata, names);
  const make = <T extends ParticipantsContractApi | ConsentContractApi | RecordsContractApi | CustodyContractApi>(name: ContractName) => {
    const entry = manifest.contracts[name];
    const meta = metadata[name];
    if (!entry || !meta) throw new ClientError('manifest_invalid', `no ${name} contract or metadata: deploy again with scripts/deploy.sh`);
    return new Contract<T>(client, meta as never, entry.address);
  };
  return {
    client,
    manifest,
    binding: { genesis: fromHex(client.genesisHash, 32), records: decodeSs58(manifest.contracts.records!.address) },
    participants: make<ParticipantsContractApi>('participants'),
    consent: make<ConsentContractApi>('consent'),
    records: make<RecordsContractApi>('records'),
    custody: metadata.custody && manifest.contracts.custody ? make<CustodyContractApi>('custody') : undefined,
  };
}

export type Stage = 'checking' | 'signing' | 'broadcast' | 'in-block' | 'finalized';
export interface Progress {
  stage: Stage;
  blockHash?: string;
  blockNumber?: number;
}
export type OnProgress = (progress: Progress) => void;

export interface Sent<T> {
  value: T;
  blockHash: string;
  blockNumber: number;
  events: unknown[];
}

/** dedot encodes fixed bytes from hex: raw bytes in arguments are passed as 0x-hex. */
const wire = (args: unknown[]) => args.map((a) => (a instanceof Uint8Array ? toHex(a) : a));

type ResultLike = { isOk?: boolean; isErr?: boolean; value?: unknown; err?: unknown };

/** Unwraps a message's `Result<T, Error>` (dedot decodes it as {isOk, value} / {isErr, err}). */
export function unwrap<T>(contract: string, call: string, data: unknown): T {
  const r = data as ResultLike;
  if (r && typeof r === 'object' && ('isErr' in r || 'isOk' in r)) {
    if (r.isErr) throw contractError(contract, call, r.err);
    return r.value as T;
  }
  return data as T;
}

/** A read (a dry run that changes nothing), unwrapped. */
export async function read<T>(contract: Contract<any>, name: string, call: string, args: unknown[], caller: string): Promise<T> {
  const fn = (contract.query as any)[call];
  const { data } = await fn(...wire(args), { caller });
  return unwrap<T>(name, call, data);
}

/**
 * Sends a contract message: a dry run first (a refusal throws a ContractError before anything is signed), then the
 * signed transaction; reports the block it is in and resolves once it is finalized.
 */
export async function send<T>(
  contract: Contract<any>,
  name: string,
  call: string,
  args: unknown[],
  sender: Sender,
  onProgress: OnProgress = () => {},
): Promise<Sent<T>> {
  onProgress({ stage: 'checking' });
  const { data, raw } = await (contract.query as any)[call](...wire(args), { caller: sender.address });
  const value = unwrap<T>(name, call, data);
  const gas = raw.gasRequired;
  const gasLimit = { refTime: (gas.refTime * 12n) / 10n, proofSize: (gas.proofSize * 12n) / 10n };
  const tx = (contract.tx as any)[call](...wire(args), { gasLimit });
  onProgress({ stage: 'signing' });
  return new Promise<Sent<T>>((resolve, reject) => {
    let inBlock: Progress | undefined;
    const from = sender.pair ?? sender.address;
    const options = sender.pair ? {} : { signer: sender.signer };
    let unsub: (() => void) | undefined;
    const done = (fn: () => void) => {
      fn();
      Promise.resolve(unsub).then((u) => typeof u === 'function' && u()).catch(() => {});
    };
    tx.signAndSend(from, options, (result: any) => {
      const { status, dispatchError, events } = result;
      if (dispatchError) {
        const meta = contract.client.registry.findErrorMeta(dispatchError);
        const what = meta ? `${meta.pallet}::${meta.name}` : JSON.stringify(dispatchError);
        return done(() => reject(new ClientError('dispatch_error', `the transaction failed on chain (${what})${meta?.name === 'ContractReverted' ? ': the contract refused it (its state changed since the check); try again' : ''}`)));
      }
      switch (status.type) {
        case 'Broadcasting':
          onProgress({ stage: 'broadcast' });
          break;
        case 'BestChainBlockIncluded':
          inBlock = { stage: 'in-block', blockHash: status.value.blockHash, blockNumber: status.value.blockNumber };
          onProgress(inBlock);
          break;
        case 'Finalized':
          onProgress({ stage: 'finalized', blockHash: status.value.blockHash, blockNumber: status.value.blockNumber });
          done(() => resolve({ value, blockHash: status.value.blockHash, blockNumber: status.value.blockNumber, events }));
          break;
        case 'Invalid':
        case 'Drop':
          done(() => reject(new ClientError('tx_dropped', `the node dropped the transaction (${status.value?.error ?? status.type}): try again`)));
          break;
        default:
          break;
      }
    })
      .then((u: () => void) => {
        unsub = u;
      })
      .catch((error: unknown) => reject(error));
  });
}
