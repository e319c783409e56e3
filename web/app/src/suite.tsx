// The suite of contracts (checked against the manifest) on typink's client, the connected account as a Sender, and
// the custodian.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useTypink } from 'typink';
import { Custodian, openSuite, plain, type OnProgress, type Progress, type Sender, type Suite } from '@healthchain/client';
import type { Config } from './config';

interface SuiteContext {
  config: Config;
  suite?: Suite;
  error?: string;
  sender?: Sender;
  custodian: Custodian;
  typink: ReturnType<typeof useTypink>;
  /** bumped after every finalized transaction: lists re-read */
  version: number;
  refresh: () => void;
}

const Context = createContext<SuiteContext | undefined>(undefined);
export const useSuite = () => {
  const value = useContext(Context);
  if (!value) throw new Error('useSuite outside SuiteProvider');
  return value;
};

export function SuiteProvider({ config, children }: { config: Config; children: ReactNode }) {
  const typink = useTypink();
  const [suite, setSuite] = useState<Suite>();
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);
  const { client, ready } = typink;
  useEffect(() => {
    if (!client || !ready) return;
    let live = true;
    (async () => {
      try {
        if (__DEV_WALLET__) (await import('./devWallet')).setDevWalletClient(client as never);
        const s = await openSuite(client as never, config.manifest, config.metadata);
        if (live) setSuite(s);
      } catch (e) {
        if (live) setError(`The deployment does not match the node: ${plain(e)}`);
      }
    })();
    return () => {
      live = false;
    };
  }, [client, ready, config]);
  useEffect(() => {
    const status = [...typink.connectionStatus.values()][0];
    if (status === 'Error') setError(`No node answers at ${config.url}: start one (substrate-contracts-node --dev) or open the app with ?node=ws://HOST:PORT`);
  }, [typink.connectionStatus, config.url]);
  // The development build connects its wallet and remembers the chosen account (?as=Dave picks one by name).
  useEffect(() => {
    if (!__DEV_WALLET__ || typink.connectedWalletIds.length > 0) return;
    typink.connectWallet('healthchain-dev').catch(() => {});
  }, [typink.connectedWalletIds.length]);
  useEffect(() => {
    const wanted = new URLSearchParams(location.hash.split('?')[1] ?? location.search).get('as');
    if (!wanted || typink.accounts.length === 0) return;
    const account = typink.accounts.find((a) => a.name === wanted || a.address === wanted);
    if (account && typink.connectedAccount?.address !== account.address) typink.setConnectedAccount(account);
  }, [typink.accounts]);
  const sender = typink.connectedAccount ? { address: typink.connectedAccount.address, signer: typink.signer as never } : undefined;
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  return (
    <Context.Provider value={{ config, suite, error, sender, custodian: new Custodian(config.custodian), typink, version, refresh }}>
      {children}
    </Context.Provider>
  );
}

/** Runs a transaction and shows where it is: checking, signing, in a block, finalized; or the plain refusal. */
export function useTx() {
  const [progress, setProgress] = useState<Progress>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { refresh } = useSuite();
  const run = useCallback(async <T,>(fn: (onProgress: OnProgress) => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    setProgress(undefined);
    try {
      const out = await fn(setProgress);
      refresh();
      return out;
    } catch (e) {
      setError(plain(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, [refresh]);
  return { run, progress, error, busy, setError };
}

const STAGES: Record<string, (p: Progress) => string> = {
  checking: () => 'Checking with the contract…',
  signing: () => 'Waiting for your signature…',
  broadcast: () => 'Sent to the node…',
  'in-block': (p) => `In block #${p.blockNumber}; waiting for finality…`,
  finalized: (p) => `Finalized in block #${p.blockNumber}.`,
};

export function TxStatus({ tx }: { tx: ReturnType<typeof useTx> }) {
  return (
    <div aria-live="polite">
      {tx.progress && !tx.error && <p className={tx.progress.stage === 'finalized' ? 'ok' : 'progress'} role="status">{STAGES[tx.progress.stage](tx.progress)}</p>}
      {tx.error && <p role="alert">{tx.error}</p>}
    </div>
  );
}

export function NeedAccount({ children }: { children: ReactNode }) {
  const { sender, suite } = useSuite();
  if (!suite) return null;
  if (!sender) return <p role="status">Choose an account in the header (connect a wallet first).</p>;
  return <>{children}</>;
}
