import { addressOf, DEV_NAMES, devAccount } from '@healthchain/client';

/** A short, readable account: the dev name when it is one (the local demo), else the address. */
export function Account({ value }: { value: unknown }) {
  const address = addressOf(value);
  const dev = __DEV_WALLET__ ? DEV_NAMES.find((n) => devAccount(n).address === address) : undefined;
  return <span className="mono" title={address}>{dev ? `${dev} (${address.slice(0, 6)}…)` : address}</span>;
}

export const when = (ms: bigint | number | undefined) => (ms === undefined ? '—' : new Date(Number(ms)).toISOString().replace('T', ' ').slice(0, 19) + ' UTC');

export const basisText = (basis: { type: string; value?: unknown }) =>
  basis.value === undefined ? basis.type : `${basis.type} #${String(basis.value)}`;

export function DevAccountsList({ id }: { id: string }) {
  if (!__DEV_WALLET__) return null;
  return (
    <datalist id={id}>
      {DEV_NAMES.map((n) => (
        <option key={n} value={devAccount(n).address}>{n}</option>
      ))}
    </datalist>
  );
}
