/**
 * The default scenario: the official DMP test-patient dataset (jeu d'essai de conformité, dmp-interface.md §4.4),
 * so that vendors' existing test plans run unchanged, plus the patient of dmpkit's own fixtures. The INS are test
 * NIRs (OID 1.2.250.1.213.1.4.10); names are the dataset's labels, not people.
 *
 * The dataset says what each patient tests, not how the DMP records it; where a state had to be chosen, the note
 * says which (e.g. which professional BLOCH blocks: the simulator profile's professional, so that the refusal is
 * seen without configuration).
 */
import type { ScenarioInput } from './schema.js';

/** The professional of the built-in `simulator` profile (SDK config/simulator.ts): the official examples' MAX LIBRE. */
export const DEFAULT_PROFESSIONAL = '899900063480';
/** A masseur-kinésithérapeute (TRE_G15 70) of the same structure: the document-type matrix denies him some types. */
export const KINE_PROFESSIONAL = '899900063497';
export const DEFAULT_STRUCTURE = '499900063480001';

const authorized = [{ professional: DEFAULT_PROFESSIONAL, status: 'valid' as const }];

export const DEFAULT_SCENARIO: ScenarioInput = {
  name: 'dmp-test-patients',
  description: "The official DMP test patients (jeu d'essai de conformité) and the dmpkit fixtures patient",
  professionals: [
    { id: DEFAULT_PROFESSIONAL, family: 'LIBRE', given: 'MAX', profession: '10', specialty: 'SM26', card: 'CPS', structureId: DEFAULT_STRUCTURE },
    { id: KINE_PROFESSIONAL, family: 'KINE', given: 'PAUL', profession: '70', card: 'CPS', structureId: DEFAULT_STRUCTURE },
  ],
  patients: [
    { ins: '153078987658513', label: 'CONTESTE', dmp: 'absent', note: 'DMP non créé (TD0.2 answers NF)' },
    { ins: '207058575627097', label: 'PATB-QUATRE', family: 'PATB-QUATRE', given: 'PATRICIA', birthDate: '19700101', gender: 'F', authorizations: authorized, note: 'DMP with documents, used in every official example message' },
    { ins: '270108604926542', label: 'FERMETURE', dmp: 'closed', closedReason: 'FERMETURE_DEMANDE_PATIENT', note: 'closed DMP' },
    { ins: '202096615708958', label: 'MAXIMOP', dmp: 'closed', closedReason: 'Je ne veux plus de DMP', note: 'closed DMP ("Je ne veux plus de DMP")' },
    { ins: '265025544371476', label: 'AUTORISEPAS', note: 'the patient does not authorise: no authorization is recorded' },
    { ins: '138080427231017', label: 'BLOCH', authorizations: [{ professional: DEFAULT_PROFESSIONAL, status: 'blocked' }], note: 'blocked professional cards (the simulator profile professional is blocked)' },
    { ins: '241030750595179', label: 'EXPIRE', authorizations: [{ professional: DEFAULT_PROFESSIONAL, status: 'expired' }], note: 'the authorization has expired' },
    { ins: '213102288044517', label: 'URGENCE', note: 'bris de glace / urgence tests: no authorization, no opposition' },
    { ins: '199033022011538', label: 'PAT-VUN-UN', opposedCentre15: true, note: 'opposed to centre 15 access' },
    { ins: '116083022011613', label: 'PAT-VUN-DEUX', opposedCentre15: true, opposedBrisDeGlace: true, note: 'opposed to centre 15 and bris de glace' },
    { ins: '111068647818424', label: 'MELANGE', minor: true, authorizations: authorized, note: 'a minor: INVISIBLE_REPRESENTANTS_LEGAUX feeding, secret access' },
    { ins: '148026322000195', label: 'ENS-GRUBER', mesActivated: true, authorizations: authorized, note: 'DMP attached to Mon espace santé' },
    { ins: '211046322000147', label: 'AIRTRIBUT', authorizations: authorized, note: 'AIR mode tests' },
    { ins: '109016322000249', label: 'MEUHES', mesActivated: false, authorizations: authorized, note: 'AIR mode tests; Mon espace santé not activated' },
    { ins: '235061058692768', label: 'ATTRIBUT', authorizations: authorized, note: 'TD3.3 tests (mask, visibility, archive, delete)' },
    { ins: '287080883795737', label: 'HALL', authorizations: authorized, note: 'feed, replace, delete' },
    { ins: '294096322025871', label: 'INSI-ECHEC', note: 'TD0.0 returns DMPIdentityCertificationFailure (INSi is out of the simulator scope)' },
    { ins: '100000000000047', label: 'DMPKIT-FIXTURES', family: 'FIXTURE', given: 'CAMILLE', birthDate: '19800101', gender: 'F', authorizations: authorized, note: 'the patient of the dmpkit fixtures (fixtures/cda)' },
  ],
  documents: [],
};
