import { useEffect, useState } from 'react';
import { polkadotjs, subwallet, talisman, ExtensionWallet, TypinkProvider, type NetworkInfo } from 'typink';
import type { Config } from './config';
import { SuiteProvider, useSuite } from './suite';
import { PatientPage } from './pages/Patient';
import { ClinicianPage } from './pages/Clinician';
import { PharmacyPage } from './pages/Pharmacy';

// The development wallet (dev accounts) only in development/demo builds: the production bundle has none of it.
const wallets = __DEV_WALLET__
  ? [new ExtensionWallet({ id: 'healthchain-dev', name: 'Development accounts', logo: '', installUrl: '' }), polkadotjs, talisman, subwallet]
  : [polkadotjs, talisman, subwallet];

const PAGES = { patient: 'Patient', clinician: 'Clinician', pharmacy: 'Pharmacy' } as const;
type PageId = keyof typeof PAGES;
const pageOf = (hash: string): PageId => (hash.replace(/^#\/?/, '').split('?')[0] as PageId) in PAGES ? (hash.replace(/^#\/?/, '').split('?')[0] as PageId) : 'patient';

export function App({ config }: { config: Config }) {
  const network: NetworkInfo = {
    id: 'healthchain', name: config.manifest.chain || 'healthchain', logo: '', providers: [config.url], symbol: 'UNIT', decimals: 12, jsonRpcApi: 'legacy' as never,
  };
  return (
    <TypinkProvider appName="healthchain" supportedNetworks={[network]} defaultNetworkId="healthchain" wallets={wallets} cacheMetadata={false}>
      <SuiteProvider config={config}>
        <Shell />
      </SuiteProvider>
    </TypinkProvider>
  );
}

function Shell() {
  const [page, setPage] = useState<PageId>(pageOf(location.hash));
  useEffect(() => {
    const on = () => setPage(pageOf(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  useEffect(() => {
    document.title = `${PAGES[page]} · healthchain`;
  }, [page]);
  return (
    <>
      <header>
        <strong>healthchain</strong>
        <nav aria-label="Pages">
          <ul>
            {(Object.keys(PAGES) as PageId[]).map((id) => (
              <li key={id}>
                <a href={`#/${id}`} aria-current={page === id ? 'page' : undefined}>{PAGES[id]}</a>
              </li>
            ))}
          </ul>
        </nav>
        <AccountPicker />
      </header>
      <main>
        <Status />
        {page === 'patient' && <PatientPage />}
        {page === 'clinician' && <ClinicianPage />}
        {page === 'pharmacy' && <PharmacyPage />}
      </main>
    </>
  );
}

function Status() {
  const { error, suite } = useSuite();
  if (error) return <p role="alert">{error}</p>;
  if (!suite) return <p className="progress" role="status">Connecting to the node and checking the deployment…</p>;
  return null;
}

function AccountPicker() {
  const { wallets, connectWallet, connectedWalletIds, accounts, connectedAccount, setConnectedAccount } = useSuite().typink;
  const [error, setError] = useState<string>();
  const installed = wallets.filter((w) => w.installed);
  return (
    <div>
      {__DEV_WALLET__ && <span className="devwallet">development build: dev accounts</span>}{' '}
      {connectedWalletIds.length === 0 ? (
        installed.length === 0 ? (
          <span role="alert">No wallet found: install a polkadot.js-compatible wallet extension.</span>
        ) : (
          installed.map((w) => (
            <button key={w.id} type="button" onClick={() => connectWallet(w.id).catch((e) => setError(String(e?.message ?? e)))}>
              Connect {w.name}
            </button>
          ))
        )
      ) : (
        <>
          <label htmlFor="account">Account</label>{' '}
          <select
            id="account"
            value={connectedAccount?.address ?? ''}
            onChange={(e) => {
              const a = accounts.find((x) => x.address === e.target.value);
              if (a) setConnectedAccount(a);
            }}
          >
            <option value="" disabled>choose an account</option>
            {accounts.map((a) => (
              <option key={a.address} value={a.address}>{a.name ? `${a.name} (${a.address.slice(0, 8)}…)` : a.address}</option>
            ))}
          </select>
        </>
      )}
      {error && <span role="alert"> {error}</span>}
    </div>
  );
}
