/**
 * What the DMP itself reports beyond IHE: its SOAP fault subcode, its HL7v3 acknowledgement codes, the texts it
 * sends for VIHF/structure problems, and the states the status/authorization services return
 * (dmp-interface.md §1.1, §2.1, §2.2, §4, §8). The official list (annex A7-1 of the DMPi guide) is not public:
 * load it with loadErrorCatalogue when you have it.
 */
import { text as t, type SourceRef } from '../types.js';
import type { CatalogueEntry } from './entry.js';

const DEH: SourceRef = { ref: 'dmp-interface.md §1.1, §8 (observed by Dehempe on the DMP test platform)', confidence: '3P' };
const DEH_STRUCT: SourceRef = { ref: 'dmp-interface.md §2.1 Identifiant_Structure (observed by Dehempe)', confidence: '3P' };
const KIT: SourceRef = { ref: 'dmp-interface.md §4.1, §8 (official C# kit, KIT)', confidence: 'OFF' };
const TD02: SourceRef = { ref: 'dmp-interface.md §4.1 (TD0.2 example response)', confidence: 'EX' };
const HABIL: SourceRef = { ref: 'dmp-interface.md §4.2 (Habilitations.wsdl of the official kit)', confidence: 'OFF' };
/** Codes the dmpkit simulator answers where the DMP's own code is not public (annex A7-1 of the DMPi guide). */
const SIM: SourceRef = { ref: 'docs/simulator.md "Choices where the DMP specification is not public" (dmpkit simulator code; the DMP code list, annex A7-1, is not public: dmp-interface.md §8, §11)', confidence: 'dmpkit' };
const TD13: SourceRef = { ref: 'dmp-interface.md §4.1, §4.3 (TD1.3 example, administrativeObservation)', confidence: 'EX' };

export const DMP_ENTRIES: CatalogueEntry[] = [
  {
    code: 'DMPInvalidCertificate',
    kind: 'dmp', severity: 'error', origin: 'wire',
    meaning: t('Le certificat qui a signé le VIHF n’est pas accepté par le DMP (« Not a valid signature certificate »).', 'The certificate that signed the VIHF is not accepted by the DMP ("Not a valid signature certificate").'),
    causes: [
      t('VIHF signé avec la clé d’authentification (AUTH_CLI, CPS authentification) au lieu de la clé de signature.', 'VIHF signed with the authentication key (AUTH_CLI, CPS authentication) instead of the signature key.'),
      t('Certificat expiré, révoqué ou hors de l’IGC-Santé.', 'Certificate expired, revoked or outside IGC-Santé.'),
      t('Certificats d’authentification et de signature de structures différentes (leurs DN doivent correspondre).', 'Authentication and signature certificates from different structures (their DNs must match).'),
    ],
    fix: t('Configurer le certificat de signature (profil : signature) distinct du certificat d’authentification TLS (profil : auth), de la même structure.', 'Configure the signature certificate (profile: signature) apart from the TLS authentication certificate (profile: auth), of the same structure.'),
    sources: [DEH, { ref: 'dmp-interface.md §1.1 (PSC proxy README: auth and signature DNs identical)', confidence: 'OFF' }],
  },
  {
    code: 'DMP-STRUCTURE-INTROUVABLE',
    kind: 'dmp', severity: 'error', origin: 'text',
    textPatterns: ['Structure introuvable ou inactive'],
    meaning: t('« Structure introuvable ou Inactive » : la structure du VIHF (Identifiant_Structure) n’est pas connue ou n’est plus active.', '"Structure introuvable ou Inactive": the VIHF structure (Identifiant_Structure) is unknown or no longer active.'),
    causes: [
      t('Identifiant_Structure différent du Struct_IdNat de la situation d’exercice de la carte (mode direct).', 'Identifiant_Structure differs from the Struct_IdNat of the card’s practice situation (direct mode).'),
      t('Identifiant mal formé (préfixe 1 FINESS, 3 SIRET… oublié) ou structure fermée.', 'Malformed id (prefix 1 FINESS, 3 SIRET… missing) or closed structure.'),
    ],
    fix: t('Mettre dans Identifiant_Structure le Struct_IdNat exact de la structure (profil : structure.id), cohérent avec le certificat.', 'Put the exact Struct_IdNat of the structure in Identifiant_Structure (profile: structure.id), consistent with the certificate.'),
    sources: [DEH_STRUCT],
  },
  {
    code: 'DMP-PS-STRUCTURE-NON-LIES',
    kind: 'dmp', severity: 'error', origin: 'text',
    textPatterns: ['PS et Structure non li'],
    meaning: t('« PS et Structure non liés » : le professionnel du VIHF n’exerce pas dans la structure déclarée.', '"PS et Structure non liés": the VIHF professional does not practise in the declared structure.'),
    causes: [
      t('Identifiant_Structure d’une autre situation d’exercice que celle de la carte utilisée.', 'Identifiant_Structure of another practice situation than the card used.'),
      t('NameID (identifiant du PS) erroné.', 'Wrong NameID (professional id).'),
    ],
    fix: t('Prendre la structure de la situation d’exercice de la carte (ou celle du certificat de structure en mode indirect).', 'Use the structure of the card’s practice situation (or the structure certificate’s in indirect mode).'),
    sources: [DEH_STRUCT],
  },
  {
    code: 'DMP-SPECIALITE-ABSENTE',
    kind: 'dmp', severity: 'error', origin: 'text',
    textPatterns: ['Aucune sp.cialit. dans le vihf', 'Sp.cialit. obligatoire pour les m.decins'],
    meaning: t('« Aucune spécialité dans le vihf » : le second rôle (spécialité) manque alors qu’il est obligatoire pour les médecins et pharmaciens.', '"Aucune spécialité dans le vihf": the second role (specialty) is missing although required for physicians and pharmacists.'),
    causes: [t('Profession 10 (médecin) ou 21 (pharmacien) sans savoir-faire TRE_R01 / sous-section TRE_G05 dans l’attribut role.', 'Profession 10 (physician) or 21 (pharmacist) without a TRE_R01 specialty / TRE_G05 subsection in the role attribute.')],
    fix: t('Renseigner professional.specialty dans le profil (ex. SM26 pour la médecine générale).', 'Set professional.specialty in the profile (e.g. SM26 for general practice).'),
    sources: [{ ref: 'dmp-interface.md §2.2 (Dehempe observation)', confidence: '3P' }, { ref: 'dmp-interface.md §2.2 (HL7V2 mapping: 2nd role mandatory for 10 and 21)', confidence: 'OFF' }],
  },
  {
    code: 'DMPFound',
    kind: 'dmp', severity: 'error', origin: 'wire', transactions: ['PRPA_IN201311UV02'],
    meaning: t('Création refusée : le patient a déjà un DMP.', 'Creation refused: the patient already has a DMP.'),
    causes: [t('Demande de création pour un patient dont le DMP existe (test d’existence non fait).', 'Creation request for a patient whose DMP exists (existence test not run).')],
    fix: t('Faire le test d’existence (TD0.2) avant toute création ; utiliser le DMP existant.', 'Run the existence test (TD0.2) before any creation; use the existing DMP.'),
    sources: [KIT],
  },
  {
    code: 'DMPClosed',
    kind: 'dmp', severity: 'error', origin: 'wire', transactions: ['TD1.4'],
    meaning: t('Le DMP du patient est fermé.', 'The patient’s DMP is closed.'),
    causes: [t('Demande de fermeture (ou autre action) sur un DMP déjà fermé.', 'Close request (or another action) on a DMP already closed.')],
    fix: t('Vérifier le statut du DMP (TD0.2 : statusCode terminated) ; un DMP fermé n’accepte ni alimentation ni consultation.', 'Check the DMP status (TD0.2: statusCode terminated); a closed DMP accepts neither feeding nor consultation.'),
    sources: [KIT],
  },
  {
    code: 'DMPIdentityCertificationFailure',
    kind: 'dmp', severity: 'error', origin: 'wire', transactions: ['TD0.0'],
    meaning: t('Échec de la certification de l’identité du patient (acquisition de l’INS, TD0.0).', 'Patient identity certification failed (INS acquisition, TD0.0).'),
    causes: [t('Traits d’identité ne permettant pas de certifier l’INS (patient de test prévu pour ce cas).', 'Identity traits that do not allow the INS to be certified (a test patient exists for this case).')],
    fix: t('Obtenir l’INS qualifiée par le téléservice INSi et la saisir telle quelle.', 'Get the qualified INS from the INSi teleservice and enter it as is.'),
    sources: [{ ref: 'dmp-interface.md §4.4 (test patient 294096322025871, Dehempe data)', confidence: '3P' }],
  },
  {
    code: 'NF', aliases: ['hl7v3:query:NF'],
    kind: 'dmp', severity: 'info', origin: 'wire', transactions: ['TD0.2', 'TD1.3a'],
    meaning: t('Test d’existence : aucun DMP pour ce patient (queryResponseCode NF).', 'Existence test: no DMP for this patient (queryResponseCode NF).'),
    causes: [
      t('Le patient n’a pas de DMP.', 'The patient has no DMP.'),
      t('INS avec une mauvaise racine (test .10 / production .8) ou mal saisi.', 'INS with the wrong root (test .10 / production .8) or mistyped.'),
    ],
    fix: t('Vérifier l’INS et son OID ; sans DMP, ni alimentation ni consultation ne sont possibles.', 'Check the INS and its OID; without a DMP, neither feeding nor consultation is possible.'),
    sources: [TD02, { ref: 'HL7 v3 QueryResponse code system (2.16.840.1.113883.5.1067)', confidence: 'OFF' }],
  },
  {
    code: 'DMPOk',
    kind: 'dmp', severity: 'info', origin: 'wire', aliases: ['DMPOK'],
    meaning: t('Statut de succès des services DMP non IHE (habilitations, liste des patients).', 'Success status of the non-IHE DMP services (authorizations, patient list).'),
    causes: [],
    fix: t('Rien à corriger ; lire le contexte renvoyé.', 'Nothing to fix; read the returned context.'),
    sources: [HABIL, { ref: 'dmp-interface.md §4.2 (TD0.3 example)', confidence: 'EX' }],
  },
  {
    code: 'DMP-AUTORISATION-DEJA-PRESENTE',
    kind: 'dmp', severity: 'info', origin: 'text',
    textPatterns: ['Autorisation d.j. pr.sente'],
    meaning: t('« Autorisation déjà présente aucune action effectuée » : le professionnel était déjà autorisé (réponse DMPOk).', '"Autorisation déjà présente aucune action effectuée": the professional was already authorised (DMPOk answer).'),
    causes: [t('Demande d’autorisation (TD0.3 AJOUT) répétée.', 'Repeated authorization request (TD0.3 AJOUT).')],
    fix: t('Rien à corriger.', 'Nothing to fix.'),
    sources: [{ ref: 'dmp-interface.md §4.2 (TD0.3 example context)', confidence: 'EX' }],
  },
  {
    code: 'authorization:VALIDE', aliases: ['VALIDE'],
    kind: 'dmp', severity: 'info', origin: 'wire', transactions: ['TD0.2'],
    meaning: t('Autorisation d’accès du professionnel au DMP valide (attentionLine AUTORISATION).', 'The professional’s access authorization to the DMP is valid (AUTORISATION attentionLine).'),
    causes: [],
    fix: t('Rien à corriger : la consultation est possible.', 'Nothing to fix: consultation is possible.'),
    sources: [TD02],
  },
  {
    code: 'authorization:INTERDITE', aliases: ['INTERDITE'],
    kind: 'dmp', severity: 'error', origin: 'wire', transactions: ['TD1.6', 'TD0.2'],
    meaning: t('Professionnel bloqué par le patient : aucun accès au DMP, avec ou sans consentement.', 'Professional blocked by the patient: no access to the DMP, with or without consent.'),
    causes: [t('Le patient a interdit l’accès à ce professionnel.', 'The patient has forbidden access to this professional.')],
    fix: t('Aucune correction technique : seul le patient peut lever le blocage.', 'No technical fix: only the patient can lift the block.'),
    sources: [HABIL, { ref: 'dmp-interface.md §4.1 (P4D td02: a blocked PS can never access; TD0.2 value not observed)', confidence: '?' }],
  },
  {
    code: 'authorization:ACTIVE', aliases: ['ACTIVE'],
    kind: 'dmp', severity: 'info', origin: 'wire', transactions: ['TD1.6'],
    meaning: t('Autorisation active (liste des professionnels autorisés, TD1.6).', 'Active authorization (list of authorised professionals, TD1.6).'),
    causes: [],
    fix: t('Rien à corriger.', 'Nothing to fix.'),
    sources: [HABIL],
  },
  {
    code: 'patient-status:terminated', aliases: ['terminated'],
    kind: 'dmp', severity: 'error', origin: 'wire', transactions: ['TD0.2'],
    meaning: t('DMP fermé (statusCode terminated du patient au test d’existence).', 'Closed DMP (patient statusCode terminated in the existence test).'),
    causes: [t('Fermeture demandée par le patient ou décès.', 'Closure requested by the patient, or death.')],
    fix: t('Ne pas alimenter ni consulter ; informer l’utilisateur que le DMP est fermé.', 'Do not feed or consult; tell the user the DMP is closed.'),
    sources: [TD02, KIT],
  },
  {
    code: 'OPPOSITION_BRIS_DE_GLACE',
    kind: 'dmp', severity: 'info', origin: 'wire', transactions: ['TD1.3a'],
    meaning: t('Le patient s’oppose à l’accès en bris de glace.', 'The patient opposes break-the-glass access.'),
    causes: [t('Choix du patient, enregistré dans ses données administratives.', 'The patient’s choice, recorded in their administrative data.')],
    fix: t('Ne pas tenter d’accès en bris de glace (purposeofuse bris_de_glace) : il sera refusé.', 'Do not attempt break-the-glass access (purposeofuse bris_de_glace): it will be refused.'),
    sources: [TD13],
  },
  {
    code: 'OPPOSITION_ACCES_URGENCE',
    kind: 'dmp', severity: 'info', origin: 'wire', transactions: ['TD1.3a'],
    meaning: t('Le patient s’oppose à l’accès par un centre de régulation (centre 15).', 'The patient opposes access by an emergency regulation centre (centre 15).'),
    causes: [t('Choix du patient, enregistré dans ses données administratives.', 'The patient’s choice, recorded in their administrative data.')],
    fix: t('Ne pas tenter d’accès en mode centre_15 : il sera refusé.', 'Do not attempt centre_15 access: it will be refused.'),
    sources: [TD13],
  },
  {
    code: 'DMPAccessDenied',
    kind: 'dmp', severity: 'error', origin: 'dmpkit', transactions: ['TD0.2', 'TD1.3a', 'TD0.3', 'TD0.4', 'TD1.6', 'ITI-18', 'ITI-41', 'ITI-43', 'ITI-57'],
    meaning: t('Simulateur dmpkit : la politique d’accès DMP refuse l’action (code du simulateur ; le code réel du DMP n’est pas public).', 'dmpkit simulator: the DMP access policy refuses the action (the simulator’s code; the real DMP code is not public).'),
    causes: [
      t('Professionnel bloqué par le patient, ou sans autorisation d’accès valide (absente ou expirée).', 'Professional blocked by the patient, or without a valid access authorization (none or expired).'),
      t('DMP fermé, ou opposition du patient au bris de glace / à l’accès centre 15.', 'Closed DMP, or the patient opposes bris de glace / centre 15 access.'),
      t('Profil non autorisé par la matrice des droits ou la matrice des types de documents (document masqué, type interdit à la profession).', 'Profile not allowed by the rights matrix or the document-type matrix (masked document, type denied to the profession).'),
    ],
    fix: t('Lire les identifiants de règles dans codeContext / le texte du refus et rejouer la décision avec `dmp access` ; obtenir l’autorisation du patient (TD0.3) ou changer de mode d’accès si les règles le permettent.', 'Read the rule ids in codeContext / the refusal text and replay the decision with `dmp access`; get the patient’s authorization (TD0.3) or change the access mode if the rules allow it.'),
    sources: [SIM],
  },
  {
    code: 'DMPNotFound',
    kind: 'dmp', severity: 'error', origin: 'dmpkit', transactions: ['TD0.3', 'TD1.6'],
    meaning: t('Simulateur dmpkit : statut des services habilitations quand le patient n’a pas de DMP (code du simulateur ; le code réel du DMP n’est pas public).', 'dmpkit simulator: status of the authorization services when the patient has no DMP (the simulator’s code; the real DMP code is not public).'),
    causes: [
      t('Le patient n’a pas de DMP (le test d’existence TD0.2 répond NF).', 'The patient has no DMP (the TD0.2 existence test answers NF).'),
      t('INS mal saisi ou sous une autre autorité (OID de test .10 / production .8) que celle du DMP.', 'INS mistyped or under another authority (test OID .10 / production .8) than the DMP’s.'),
    ],
    fix: t('Faire le test d’existence (TD0.2) avant TD0.3 / TD1.6 ; vérifier l’INS et son OID (resource-id du VIHF).', 'Run the existence test (TD0.2) before TD0.3 / TD1.6; check the INS and its OID (VIHF resource-id).'),
    sources: [SIM],
  },
  {
    code: 'DMPInvalidParameter',
    kind: 'dmp', severity: 'error', origin: 'dmpkit', transactions: ['TD0.4'],
    meaning: t('Simulateur dmpkit : un paramètre de la requête est mal formé (code du simulateur ; le code réel du DMP n’est pas public).', 'dmpkit simulator: a request parameter is malformed (the simulator’s code; the real DMP code is not public).'),
    causes: [t('TD0.4 (liste des patients autorisés) : startDate qui n’est pas au format yyyyMMddHHmmss.', 'TD0.4 (authorized patient list): startDate not in the yyyyMMddHHmmss format.')],
    fix: t('Envoyer la date au format yyyyMMdd[HHmm[ss]] (ex. 20250101000000) ; le contexte de la réponse cite la valeur refusée.', 'Send the date as yyyyMMdd[HHmm[ss]] (e.g. 20250101000000); the answer’s context quotes the refused value.'),
    sources: [SIM],
  },
];
