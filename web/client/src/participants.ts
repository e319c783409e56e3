// Credentials, as far as apps and the test setup need them: who holds which role; an issuer's attestation.
import { read, send, type OnProgress, type Sender, type Suite } from './chain';
import type { Role } from './vocabulary';

export const hasRole = (suite: Suite, account: string, role: Role) =>
  read<boolean>(suite.participants, 'participants', 'participantsTraitHasRole', [account, role], account);

/** The NPI check digit: Luhn over "80840" followed by the nine digits of `base`. */
export function npiCheckDigit(base: number): number {
  let sum = 24;
  let rest = base;
  for (let position = 0; position < 9; position++) {
    const digit = rest % 10;
    rest = Math.floor(rest / 10);
    const doubled = digit * 2;
    sum += position % 2 === 0 ? (doubled > 9 ? doubled - 9 : doubled) : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** A valid NPI derived from an account's first bytes (tests and the demo; as tests/src/suite.rs npi_of). */
export function npiOf(publicKey: Uint8Array): bigint {
  const first = new DataView(publicKey.buffer, publicKey.byteOffset, 8).getBigUint64(0, true);
  const base = 100_000_000n + (first % 100_000_000n);
  return base * 10n + BigInt(npiCheckDigit(Number(base)));
}

export const attest = (
  suite: Suite, issuer: Sender, account: string, role: Role, npi: bigint | undefined, validUntil: number, onProgress?: OnProgress,
) => send<null>(suite.participants, 'participants', 'attest', [account, role, new Uint8Array(32).fill(9), npi, 0n, BigInt(validUntil)], issuer, onProgress);
