import { useEffect, useState, type FormEvent } from 'react';
import { addressOf, consent, plain, records, CLASSES, PURPOSES, SENSITIVE, actionsOf, classesOf, purposesOf, type DataClass, type Purpose } from '@healthchain/client';
import type { ConsentAccessRequest, ConsentConsentEntry, ConsentDelegation, ConsentEmergency } from '@healthchain/client/src/generated/consent/index.js';
import type { RecordsDisclosure } from '@healthchain/client/src/generated/records/index.js';
import { NeedAccount, TxStatus, useSuite, useTx } from '../suite';
import { Account, basisText, DevAccountsList, when } from './common';

export function PatientPage() {
  return (
    <>
      <h1>My health data</h1>
      <NeedAccount>
        <Consents />
        <Disclosures />
        <Requests />
        <Emergencies />
        <Delegates />
      </NeedAccount>
    </>
  );
}

function useRead<T>(fn: () => Promise<T>, deps: unknown[]): { data?: T; error?: string } {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  useEffect(() => {
    let live = true;
    fn().then((data) => live && setState({ data }), (e) => live && setState({ error: plain(e) }));
    return () => {
      live = false;
    };
  }, deps);
  return state;
}

function Consents() {
  const { suite, sender, version } = useSuite();
  const tx = useTx();
  const list = useRead(() => consent.consentsOf(suite!, sender!.address, undefined, 50), [suite, sender?.address, version]);
  const [grantee, setGrantee] = useState('');
  const [purposes, setPurposes] = useState<Purpose[]>(['Treatment']);
  const [general, setGeneral] = useState(true);
  const [classes, setClasses] = useState<DataClass[]>([]);
  const [read, setRead] = useState(true);
  const [write, setWrite] = useState(false);
  const [end, setEnd] = useState('');
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!grantee.trim()) return tx.setError('Enter the account you grant consent to.');
    await tx.run((onProgress) =>
      consent.grant(suite!, sender!, {
        patient: sender!.address, grantee: grantee.trim(), purposes, classes, general,
        actions: [...(read ? ['Read' as const] : []), ...(write ? ['Write' as const] : [])],
        end: end ? Date.parse(`${end}T23:59:59Z`) : undefined,
      }, onProgress),
    );
  };
  return (
    <section aria-labelledby="consents-h">
      <h2 id="consents-h">My consents</h2>
      {list.error && <p role="alert">{list.error}</p>}
      <table>
        <caption className="sr-only">Consents, newest first</caption>
        <thead>
          <tr><th>#</th><th>Grantee</th><th>Provision</th><th>Purposes</th><th>Classes</th><th>Actions</th><th>Until</th><th>Status</th><th></th></tr>
        </thead>
        <tbody>
          {list.data?.items.map((c: ConsentConsentEntry) => (
            <tr key={String(c.id)} data-testid={`consent-${c.id}`}>
              <td>{String(c.id)}</td>
              <td>{c.grantee.type === 'Account' ? <Account value={c.grantee.value} /> : `every ${c.grantee.value}`}</td>
              <td>{c.provision}</td>
              <td>{purposesOf(c.purposes).join(', ')}</td>
              <td>{classesOf(c.classes).join(', ')}</td>
              <td>{actionsOf(c.actions).join(', ')}</td>
              <td>{c.end === undefined ? 'no end' : when(c.end)}</td>
              <td>{c.status}</td>
              <td>
                {c.status === 'Active' && (
                  <button type="button" disabled={tx.busy} onClick={() => tx.run((p) => consent.revoke(suite!, sender!, c.id, p))}>
                    Revoke consent #{String(c.id)}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data && list.data.items.length === 0 && <p>No consents yet.</p>}
      <form onSubmit={submit} aria-labelledby="grant-h">
        <h3 id="grant-h">Grant consent</h3>
        <p>
          <label>
            Grantee account <input type="text" list="dev-accounts" value={grantee} onChange={(e) => setGrantee(e.target.value)} required />
          </label>
          <DevAccountsList id="dev-accounts" />
        </p>
        <fieldset>
          <legend>Purposes</legend>
          {PURPOSES.map((p) => (
            <label key={p}><input type="checkbox" checked={purposes.includes(p)} onChange={(e) => setPurposes(toggle(purposes, p, e.target.checked))} /> {p}</label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Data classes</legend>
          <label><input type="checkbox" checked={general} onChange={(e) => setGeneral(e.target.checked)} /> every non-sensitive class</label>
          {CLASSES.map((c) => (
            <label key={c}>
              <input type="checkbox" checked={classes.includes(c)} onChange={(e) => setClasses(toggle(classes, c, e.target.checked))} /> {c}
              {SENSITIVE.includes(c) ? ' (sensitive)' : ''}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Actions</legend>
          <label><input type="checkbox" checked={read} onChange={(e) => setRead(e.target.checked)} /> Read</label>
          <label><input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} /> Write</label>
        </fieldset>
        <p>
          <label>Valid until (optional) <input type="date" value={end} onChange={(e) => setEnd(e.target.value)} /></label>
        </p>
        <button type="submit" disabled={tx.busy}>Grant</button>
      </form>
      <TxStatus tx={tx} />
    </section>
  );
}

function Disclosures() {
  const { suite, sender, version } = useSuite();
  const [from, setFrom] = useState(0n);
  const limit = 10;
  const page = useRead(() => records.disclosures(suite!, sender!.address, from, limit), [suite, sender?.address, version, from]);
  return (
    <section aria-labelledby="disclosures-h">
      <h2 id="disclosures-h">Who opened my records</h2>
      {page.error && <p role="alert">{page.error}</p>}
      <table>
        <thead><tr><th>When</th><th>Who</th><th>Record</th><th>Purpose</th><th>Basis</th></tr></thead>
        <tbody>
          {page.data?.items.map((d: RecordsDisclosure, i: number) => (
            <tr key={`${from}-${i}`}>
              <td>{when(d.at)}</td><td><Account value={d.accessor} /></td><td>#{String(d.record)}</td><td>{d.purpose}</td><td>{basisText(d.basis)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data && (
        <p>
          {page.data.len === 0n ? 'Nobody has opened your records.' : `Entries ${from + 1n}–${from + BigInt(page.data.items.length)} of ${page.data.len}. `}
          <button type="button" disabled={from === 0n} onClick={() => setFrom(from - BigInt(limit) < 0n ? 0n : from - BigInt(limit))}>Previous page</button>
          <button type="button" disabled={page.data.next === undefined} onClick={() => setFrom(page.data!.next!)}>Next page</button>
        </p>
      )}
    </section>
  );
}

function Requests() {
  const { suite, sender, version } = useSuite();
  const tx = useTx();
  const page = useRead(() => consent.pendingRequests(suite!, sender!.address, undefined, 50), [suite, sender?.address, version]);
  return (
    <section aria-labelledby="requests-h">
      <h2 id="requests-h">Access requests waiting for me</h2>
      {page.error && <p role="alert">{page.error}</p>}
      {page.data?.items.length === 0 && <p>No pending requests.</p>}
      <ul>
        {page.data?.items.map((r: ConsentAccessRequest) => (
          <li key={String(r.id)}>
            Request #{String(r.id)} from <Account value={r.requester} /> for {r.purpose}: {classesOf(r.classes).join(', ')} ({actionsOf(r.actions).join(', ')}){' '}
            <button type="button" disabled={tx.busy} onClick={() => tx.run((p) => consent.approveRequest(suite!, sender!, r.id, p))}>Approve #{String(r.id)}</button>
            <button type="button" disabled={tx.busy} onClick={() => tx.run((p) => consent.declineRequest(suite!, sender!, r.id, p))}>Decline #{String(r.id)}</button>
          </li>
        ))}
      </ul>
      <TxStatus tx={tx} />
    </section>
  );
}

function Emergencies() {
  const { suite, sender, version } = useSuite();
  const tx = useTx();
  const page = useRead(() => consent.unreviewedEmergencies(suite!, sender!.address, undefined, 50), [suite, sender?.address, version]);
  return (
    <section aria-labelledby="emergencies-h">
      <h2 id="emergencies-h">Emergency access declared on me</h2>
      {page.error && <p role="alert">{page.error}</p>}
      {page.data?.items.length === 0 && <p>No emergency access waits for your review.</p>}
      <ul>
        {page.data?.items.map((e: ConsentEmergency) => (
          <li key={String(e.id)}>
            Emergency #{String(e.id)} by <Account value={e.provider} /> at {when(e.declaredAt)}, until {when(e.until)}{' '}
            <button type="button" disabled={tx.busy} onClick={() => tx.run((p) => consent.reviewEmergency(suite!, sender!, e.id, true, p))}>Justified</button>
            <button type="button" disabled={tx.busy} onClick={() => tx.run((p) => consent.reviewEmergency(suite!, sender!, e.id, false, p))}>Not justified</button>
          </li>
        ))}
      </ul>
      <TxStatus tx={tx} />
    </section>
  );
}

function Delegates() {
  const { suite, sender, version } = useSuite();
  const tx = useTx();
  const list = useRead(() => consent.delegates(suite!, sender!.address), [suite, sender?.address, version]);
  const [delegate, setDelegate] = useState('');
  const [write, setWrite] = useState(false);
  const add = (e: FormEvent) => {
    e.preventDefault();
    tx.run((p) => consent.addDelegate(suite!, sender!, {
      patient: sender!.address, delegate: delegate.trim(), purposes: ['Treatment', 'Payment', 'Operations'], classes: [], general: true,
      actions: write ? ['Read', 'Write'] : ['Read'],
    }, p));
  };
  return (
    <section aria-labelledby="delegates-h">
      <h2 id="delegates-h">My delegates and representatives</h2>
      {list.error && <p role="alert">{list.error}</p>}
      {list.data?.length === 0 && <p>No delegates.</p>}
      <ul>
        {list.data?.map((d: ConsentDelegation) => (
          <li key={String(d.id)}>
            <Account value={d.delegate} />: {purposesOf(d.scope.purposes).join(', ')}; {classesOf(d.scope.classes).join(', ')}; {actionsOf(d.scope.actions).join(', ')}{d.expires === undefined ? '' : `; until ${when(d.expires)}`}{' '}
            <button type="button" disabled={tx.busy} onClick={() => tx.run((p) => consent.removeDelegate(suite!, sender!, sender!.address, addressOf(d.delegate), p))}>Remove delegate {addressOf(d.delegate).slice(0, 8)}…</button>
          </li>
        ))}
      </ul>
      <form onSubmit={add}>
        <h3>Add a delegate</h3>
        <p>A delegate may grant and revoke consents for you for treatment, payment and operations, on every non-sensitive class.</p>
        <label>Delegate account <input type="text" list="dev-accounts" value={delegate} onChange={(e) => setDelegate(e.target.value)} required /></label>
        <label><input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} /> may also grant write access</label>
        <button type="submit" disabled={tx.busy}>Add delegate</button>
      </form>
      <TxStatus tx={tx} />
    </section>
  );
}
