// The shared vocabulary (contracts/interfaces): enum names as the generated types spell them, and the bitsets.
import type {
  InterfacesVocabularyAction as Action,
  InterfacesVocabularyDataClass as DataClass,
  InterfacesVocabularyPurpose as Purpose,
  InterfacesVocabularyRole as Role,
} from './generated/consent/index.js';

export type { Action, DataClass, Purpose, Role };

export const PURPOSES: Purpose[] = ['Treatment', 'Emergency', 'Payment', 'Operations', 'Research', 'PublicHealth'];
export const CLASSES: DataClass[] = [
  'Demographics', 'Encounters', 'Diagnoses', 'Labs', 'Imaging', 'Medications', 'Immunizations',
  'MentalHealth', 'SubstanceUse', 'Genomic', 'Reproductive',
];
export const SENSITIVE: DataClass[] = ['MentalHealth', 'SubstanceUse', 'Genomic', 'Reproductive'];
export const ACTIONS: Action[] = ['Read', 'Write'];
export const ROLES: Role[] = ['Provider', 'Payer', 'Manufacturer', 'Distributor', 'Pharmacy', 'Regulator', 'Researcher', 'Issuer'];

/** The HL7 v3 PurposeOfUse code of each purpose, as people and the CLI name them. */
export const PURPOSE_CODES: Record<Purpose, string> = {
  Treatment: 'TREAT', Emergency: 'ETREAT', Payment: 'HPAYMT', Operations: 'HOPERAT', Research: 'HRESCH', PublicHealth: 'PUBHLTH',
};

/** DataClassSet's broad flag: every non-sensitive class (never a sensitive one). */
export const GENERAL = 0x8000;

const setOf = <T>(order: readonly T[], members: readonly T[]) => members.reduce((bits, m) => bits | (1 << order.indexOf(m)), 0);
const membersOf = <T>(order: readonly T[], bits: number) => order.filter((_, i) => bits & (1 << i));

export const purposeSet = (members: readonly Purpose[]) => setOf(PURPOSES, members);
export const actionSet = (members: readonly Action[]) => setOf(ACTIONS, members);
export const roleSet = (members: readonly Role[]) => setOf(ROLES, members);
/** `general`: add the broad flag (every non-sensitive class, present and future). */
export const classSet = (members: readonly DataClass[], general = false) => setOf(CLASSES, members) | (general ? GENERAL : 0);

export const purposesOf = (bits: number) => membersOf(PURPOSES, bits);
export const actionsOf = (bits: number) => membersOf(ACTIONS, bits);
export const classesOf = (bits: number): string[] => [
  ...(bits & GENERAL ? ['every non-sensitive class'] : []),
  ...membersOf(CLASSES, bits),
];
