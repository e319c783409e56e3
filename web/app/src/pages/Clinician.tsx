import { useEffect, useState, type FormEvent } from 'react';
import { consent, flows, plain, records, CLASSES, PURPOSES, type DataClass, type Purpose } from '@healthchain/client';
import type { RecordsRecord } from '@healthchain/client/src/generated/records/index.js';
import { NeedAccount, TxStatus, useSuite, useTx } from '../suite';
import { Account, DevAccountsList, when } from './common';

export function ClinicianPage() {
  const [patient, setPatient] = useState(new URLSearchParams(location.hash.split('?')[1] ?? '').get('patient') ?? '');
  const [query, setQuery] = useState(patient);
  return (
    <>
      <h1>Clinician</h1>
      <NeedAccount>
        <form onSubmit={(e) => { e.preventDefault(); setQuery(patient.trim()); }} aria-label="Find a patient">
          <label>
            Patient account <input type="text" list="dev-patients" value={patient} onChange={(e) => setPatient(e.target.value)} required />
          </label>
          <DevAccountsList id="dev-patients" />
          <button type="submit">Find records</button>
        </form>
        {query && (
          <>
            <RecordList patient={query} />
            <WriteNote patient={query} />
            <RequestAccess patient={query} />
            <BreakGlass patient={query} />
          </>
        )}
      </NeedAccount>
    </>
  );
}

function RecordList({ patient }: { patient: string }) {
  const { suite, sender, version } = useSuite();
  const [items, setItems] = useState<RecordsRecord[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const page = await records.recordsOf(suite!, patient, sender!.address, undefined, 50);
        const list = await Promise.all(page.items.map((id) => records.record(suite!, id, sender!.address)));
        if (live) { setItems(list.filter(Boolean) as RecordsRecord[]); setError(undefined); }
      } catch (e) {
        if (live) setError(plain(e));
      }
    })();
    return () => { live = false; };
  }, [suite, patient, sender?.address, version]);
  return (
    <section aria-labelledby="records-h">
      <h2 id="records-h">Records of <Account value={patient} /></h2>
      {error && <p role="alert">{error}</p>}
      {items?.length === 0 && <p>No records.</p>}
      <table>
        <thead><tr><th>#</th><th>Class</th><th>Author</th><th>Written</th><th>Status</th><th>Open</th></tr></thead>
        <tbody>
          {items?.map((r) => <RecordRow key={String(r.id)} record={r} />)}
        </tbody>
      </table>
    </section>
  );
}

function RecordRow({ record }: { record: RecordsRecord }) {
  const { suite, sender, custodian } = useSuite();
  const tx = useTx();
  const [purpose, setPurpose] = useState<Purpose>('Treatment');
  const [note, setNote] = useState<string>();
  const [steps, setSteps] = useState<string[]>([]);
  const open = () => {
    setNote(undefined);
    setSteps([]);
    tx.run(async (p) => {
      const bytes = await flows.get(suite!, custodian, sender!, record.id, purpose, p, (s) => setSteps((x) => [...x, s]));
      setNote(new TextDecoder().decode(bytes));
    });
  };
  const id = String(record.id);
  return (
    <tr>
      <td>{id}</td><td>{record.class}</td><td><Account value={record.author} /></td><td>{when(record.createdAt)}</td><td>{String((record.status as any).type ?? record.status)}</td>
      <td>
        <label>Purpose for #{id}{' '}
          <select value={purpose} onChange={(e) => setPurpose(e.target.value as Purpose)}>
            {PURPOSES.filter((p) => p !== 'Emergency').map((p) => <option key={p}>{p}</option>)}
            <option value="Emergency">Emergency (break the glass first)</option>
          </select>
        </label>
        <button type="button" disabled={tx.busy} onClick={open}>Open record #{id}</button>
        <p className="progress">Opening is recorded on chain: the patient sees it in their log.</p>
        <ul aria-label={`Steps for record #${id}`}>{steps.map((s, i) => <li key={i}>{s}</li>)}</ul>
        <TxStatus tx={tx} />
        {note !== undefined && (
          <figure>
            <figcaption>Decrypted note of record #{id}</figcaption>
            <pre className="note" aria-label={`Decrypted note of record #${id}`}>{note}</pre>
          </figure>
        )}
      </td>
    </tr>
  );
}

function WriteNote({ patient }: { patient: string }) {
  const { suite, sender, custodian, config } = useSuite();
  const tx = useTx();
  const [text, setText] = useState('');
  const [dataClass, setDataClass] = useState<DataClass>('Encounters');
  const [done, setDone] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(undefined);
    const id = await tx.run((p) => flows.put(suite!, custodian, sender!, patient, dataClass, new TextEncoder().encode(text), config.custodianPublic, p));
    if (id !== undefined) { setDone(`Record #${id} written: encrypted in this browser, its key deposited with the custodian.`); setText(''); }
  };
  return (
    <section aria-labelledby="write-h">
      <h2 id="write-h">Write a new encrypted note</h2>
      <form onSubmit={submit}>
        <p><label>Data class <select value={dataClass} onChange={(e) => setDataClass(e.target.value as DataClass)}>{CLASSES.map((c) => <option key={c}>{c}</option>)}</select></label></p>
        <p><label>Note<br /><textarea rows={4} cols={70} value={text} onChange={(e) => setText(e.target.value)} required /></label></p>
        <button type="submit" disabled={tx.busy}>Encrypt and save</button>
      </form>
      <TxStatus tx={tx} />
      {done && <p className="ok" role="status">{done}</p>}
    </section>
  );
}

function RequestAccess({ patient }: { patient: string }) {
  const { suite, sender } = useSuite();
  const tx = useTx();
  const [purpose, setPurpose] = useState<Purpose>('Treatment');
  return (
    <section aria-labelledby="request-h">
      <h2 id="request-h">Request access</h2>
      <form onSubmit={(e) => { e.preventDefault(); tx.run((p) => consent.requestAccess(suite!, sender!, { patient, purpose, classes: [], general: true, actions: ['Read'] }, p)); }}>
        <label>Purpose <select value={purpose} onChange={(e) => setPurpose(e.target.value as Purpose)}>{PURPOSES.filter((p) => p !== 'Emergency').map((p) => <option key={p}>{p}</option>)}</select></label>
        <button type="submit" disabled={tx.busy}>Request read access to every non-sensitive class</button>
      </form>
      <TxStatus tx={tx} />
    </section>
  );
}

function BreakGlass({ patient }: { patient: string }) {
  const { suite, sender } = useSuite();
  const tx = useTx();
  const [sure, setSure] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <section aria-labelledby="glass-h" className="warning">
      <h2 id="glass-h">Break the glass</h2>
      <p><strong>Emergency access bypasses the patient's consent.</strong> Use it only when the patient cannot consent and
        treatment cannot wait. It is capped in time, recorded on chain, shown to the patient, and reviewed afterwards by the
        patient or a regulator; unjustified use is on your record.</p>
      <form onSubmit={async (e) => {
        e.preventDefault();
        const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(reason)));
        tx.run((p) => consent.declareEmergency(suite!, sender!, patient, hash, p));
      }}>
        <p><label>Reason (kept off chain; its hash is recorded) <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} required /></label></p>
        <p><label><input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} /> I confirm this is an emergency and accept the review</label></p>
        <button type="submit" disabled={!sure || tx.busy}>Declare emergency access</button>
      </form>
      <TxStatus tx={tx} />
    </section>
  );
}
