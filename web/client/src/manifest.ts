// The deployment manifest written by scripts/deploy.sh (deployments/<network>.json), and the checks that this client
// talks to the chain and the code it was written for.
import { ClientError } from './errors';

export const SUITE = ['participants', 'consent', 'records', 'claims', 'custody'] as const;
export type ContractName = (typeof SUITE)[number];

export interface BlockRef {
  number: number;
  hash: string;
}

export interface ManifestEntry {
  address: string;
  code_hash: string;
  metadata: string;
  block?: BlockRef;
}

export interface Manifest {
  network: string;
  url: string;
  chain: string;
  genesis_hash: string;
  block?: BlockRef;
  contracts: Partial<Record<ContractName | 'council', ManifestEntry>>;
}

const HASH = /^0x[0-9a-f]{64}$/;

export function parseManifest(text: string | object, where = 'the deployment manifest'): Manifest {
  let value: unknown;
  try {
    value = typeof text === 'string' ? JSON.parse(text) : text;
  } catch {
    throw new ClientError('manifest_invalid', `${where} is not JSON: deploy again with scripts/deploy.sh`);
  }
  const m = value as Manifest;
  if (!m || typeof m !== 'object' || !HASH.test(String(m.genesis_hash)) || !m.contracts) {
    throw new ClientError('manifest_invalid', `${where} has no genesis_hash or contracts: deploy again with scripts/deploy.sh`);
  }
  for (const name of ['consent', 'records', 'participants'] as const) {
    const entry = m.contracts[name];
    if (!entry || typeof entry.address !== 'string' || !HASH.test(String(entry.code_hash))) {
      throw new ClientError('manifest_invalid', `${where} has no ${name} contract (address and code_hash): deploy again with scripts/deploy.sh`);
    }
  }
  return m;
}

/** The ink! metadata a contract's types were generated from carries the code hash of its build. */
export function metadataCodeHash(metadata: unknown): string | undefined {
  return (metadata as { source?: { hash?: string } })?.source?.hash;
}

export interface ChainFacts {
  genesisHash: string;
  /** The code hash the chain runs at this address, or undefined when there is no contract there. */
  codeHashAt(address: string): Promise<string | undefined>;
}

/**
 * Checks the manifest against the chain: the genesis hash (the right chain), and for each contract that the chain
 * runs at its address the code the manifest names, and that the metadata in use belongs to that code.
 */
export async function checkDeployment(
  manifest: Manifest,
  chain: ChainFacts,
  metadata: Partial<Record<ContractName, unknown>>,
  names: readonly ContractName[] = SUITE,
): Promise<void> {
  if (chain.genesisHash.toLowerCase() !== manifest.genesis_hash.toLowerCase()) {
    throw new ClientError(
      'wrong_chain',
      `the node is another chain (genesis ${chain.genesisHash.slice(0, 10)}…, the manifest says ${manifest.genesis_hash.slice(0, 10)}…): connect to the manifest's node or deploy again (a --tmp dev node is new each start)`,
    );
  }
  for (const name of names) {
    const entry = manifest.contracts[name];
    if (!entry) continue;
    const onChain = await chain.codeHashAt(entry.address);
    if (!onChain) {
      throw new ClientError('contract_missing', `no ${name} contract at ${entry.address}: deploy again with scripts/deploy.sh`);
    }
    if (onChain.toLowerCase() !== entry.code_hash.toLowerCase()) {
      throw new ClientError(
        'code_hash_differs',
        `the ${name} contract runs code ${onChain.slice(0, 10)}…, the manifest says ${entry.code_hash.slice(0, 10)}…: the contract was upgraded; deploy again or update the manifest`,
      );
    }
    const meta = metadataCodeHash(metadata[name]);
    if (meta && meta.toLowerCase() !== entry.code_hash.toLowerCase()) {
      throw new ClientError(
        'metadata_differs',
        `the ${name} metadata is of code ${meta.slice(0, 10)}…, the chain runs ${onChain.slice(0, 10)}…: use the metadata deploy.sh copied beside the manifest`,
      );
    }
  }
}
