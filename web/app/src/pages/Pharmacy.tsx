// Pharmacy: verify a pack (thin on purpose: the custody contract is changing; see client/src/custody.ts).
import { useState, type FormEvent } from 'react';
import { custody, plain } from '@healthchain/client';
import { NeedAccount, useSuite } from '../suite';

export function PharmacyPage() {
  const { suite, sender } = useSuite();
  const [gs1, setGs1] = useState('');
  const [pack, setPack] = useState({ gtin: '', serial: '', lot: '', expiry: '' });
  const [result, setResult] = useState<custody.PackVerification>();
  const [error, setError] = useState<string>();
  const verify = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setResult(undefined);
    try {
      const p = gs1.trim() ? custody.parseGs1(gs1) : { ...pack, expiry: Date.parse(`${pack.expiry}T00:00:00Z`) };
      if (!gs1.trim() && Number.isNaN(p.expiry)) throw new Error('Enter the expiry date, or paste the GS1 string.');
      setResult(await custody.verifyPack(suite!, sender!.address, p as custody.Pack));
    } catch (err) {
      setError(plain(err));
    }
  };
  const field = (k: keyof typeof pack, label: string, type = 'text') => (
    <p><label>{label} <input type={type} value={pack[k]} onChange={(e) => setPack({ ...pack, [k]: e.target.value })} /></label></p>
  );
  return (
    <>
      <h1>Pharmacy</h1>
      <NeedAccount>
        <section aria-labelledby="verify-h">
          <h2 id="verify-h">Verify a pack</h2>
          <form onSubmit={verify}>
            <p><label>GS1 DataMatrix string (paste or scan) <input type="text" value={gs1} onChange={(e) => setGs1(e.target.value)} /></label></p>
            <p>or type the fields:</p>
            {field('gtin', 'GTIN (01)')}{field('serial', 'Serial (21)')}{field('lot', 'Lot (10)')}{field('expiry', 'Expiry (17)', 'date')}
            <button type="submit">Verify</button>
          </form>
          <div aria-live="polite">
            {error && <p role="alert">{error}</p>}
            {result && (
              <p role="status" className={result.authentic ? 'ok' : undefined}>
                Verification: <strong>{result.authentic ? 'authentic' : result.reason.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}</strong>
                {result.unit !== undefined && <> (unit #{String(result.unit)})</>}
              </p>
            )}
          </div>
          <p>Receiving and dispensing come once the custody contract's new messages land.</p>
        </section>
      </NeedAccount>
    </>
  );
}
