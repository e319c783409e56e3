// The development wallet: injects the dev accounts (//Alice ... //Ferdie) the way a polkadot.js-compatible extension
// does (window.injectedWeb3). Only in builds of mode development/demo (see vite.config.ts): never in production.
// It signs `signRaw` data exactly as given (the custodian verifies the plain message; a real extension wraps it in
// <Bytes>...</Bytes>, which the custodian does not accept yet).
import { ExtraSignedExtension, type DedotClient } from 'dedot';
import { blake2AsU8a, hexToU8a, u8aToHex } from 'dedot/utils';
import { DEV_NAMES, devAccount } from '@healthchain/client/src/accounts';

export const DEV_WALLET_ID = 'healthchain-dev';
let client: DedotClient | undefined;
export const setDevWalletClient = (c: DedotClient) => {
  client = c;
};

export function installDevWallet() {
  const pairs = DEV_NAMES.map((name) => ({ name, pair: devAccount(name) }));
  const find = (address: string) => {
    const found = pairs.find((p) => p.pair.address === address);
    if (!found) throw new Error(`the development wallet has no account ${address}`);
    return found.pair;
  };
  const accounts = pairs.map(({ name, pair }) => ({ address: pair.address, name, type: 'sr25519' as const }));
  const injected = {
    accounts: {
      get: async () => accounts,
      subscribe: (cb: (a: typeof accounts) => void) => {
        cb(accounts);
        return () => {};
      },
    },
    signer: {
      signPayload: async (payload: any) => {
        if (!client) throw new Error('the development wallet is not connected to the node yet');
        const extra = new ExtraSignedExtension(client as any, { signerAddress: payload.address });
        await extra.fromPayload(payload);
        const raw = hexToU8a(extra.toRawPayload(payload.method).data);
        const message = raw.length > 256 ? blake2AsU8a(raw, 256) : raw;
        return { id: 1, signature: u8aToHex(find(payload.address).sign(message, { withType: true })) as `0x${string}` };
      },
      signRaw: async (raw: { address: string; data: string }) => ({
        id: 2,
        signature: u8aToHex(await find(raw.address).signBytes(hexToU8a(raw.data))) as `0x${string}`,
      }),
    },
  };
  const w = window as any;
  w.injectedWeb3 = w.injectedWeb3 ?? {};
  w.injectedWeb3[DEV_WALLET_ID] = { version: '0.1.0', enable: async () => injected };
}
