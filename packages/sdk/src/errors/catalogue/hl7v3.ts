/** HL7 v3 acknowledgement and query response codes, as the DMP patients service uses them (TD0.2, TD1.3, TD0.5). */
import { text as t, type SourceRef } from '../types.js';
import type { CatalogueEntry } from './entry.js';

const ACK: SourceRef = { ref: 'HL7 v3 AcknowledgementType code system (2.16.840.1.113883.5.18)', confidence: 'OFF' };
const QUERY: SourceRef = { ref: 'HL7 v3 QueryResponse code system (2.16.840.1.113883.5.1067)', confidence: 'OFF' };
const DMP_ACK: SourceRef = { ref: 'dmp-interface.md §4.1 (acknowledgement typeCode other than AA + acknowledgementDetail)', confidence: 'OFF' };

export const HL7V3_ENTRIES: CatalogueEntry[] = [
  {
    code: 'hl7v3:ack:AE', aliases: ['AE'],
    kind: 'hl7v3', severity: 'error', origin: 'wire',
    meaning: t('Erreur applicative : le DMP a reçu le message mais n’a pas pu le traiter.', 'Application error: the DMP received the message but could not process it.'),
    causes: [t('Le code et le texte de acknowledgementDetail donnent la raison (ex. DMPFound, DMPClosed).', 'The acknowledgementDetail code and text give the reason (e.g. DMPFound, DMPClosed).')],
    fix: t('Lire acknowledgementDetail ; corriger selon le code.', 'Read acknowledgementDetail; fix according to its code.'),
    sources: [ACK, DMP_ACK],
  },
  {
    code: 'hl7v3:ack:AR', aliases: ['AR'],
    kind: 'hl7v3', severity: 'error', origin: 'wire',
    meaning: t('Rejet applicatif : le message est refusé (structure, interaction ou contenu invalides).', 'Application reject: the message is refused (invalid structure, interaction or content).'),
    causes: [t('Message HL7v3 non conforme (reasonCode, identifiants, interaction inattendue).', 'Non-conforming HL7v3 message (reasonCode, identifiers, unexpected interaction).')],
    fix: t('Comparer le message aux exemples officiels (TD0.2 : PRPA_IN201307UV02, reasonCode TEST_EXST) ; lire acknowledgementDetail.', 'Compare the message with the official examples (TD0.2: PRPA_IN201307UV02, reasonCode TEST_EXST); read acknowledgementDetail.'),
    sources: [ACK, DMP_ACK],
  },
  {
    code: 'hl7v3:ack:CE', aliases: ['CE'],
    kind: 'hl7v3', severity: 'error', origin: 'wire',
    meaning: t('Erreur au niveau de l’acceptation (commit) du message.', 'Error at message acceptance (commit) level.'),
    causes: [t('Message non accepté par la couche de réception.', 'Message not accepted by the receiving layer.')],
    fix: t('Lire acknowledgementDetail ; renvoyer après correction.', 'Read acknowledgementDetail; resend after fixing.'),
    sources: [ACK],
  },
  {
    code: 'hl7v3:ack:CR', aliases: ['CR'],
    kind: 'hl7v3', severity: 'error', origin: 'wire',
    meaning: t('Rejet au niveau de l’acceptation (commit) du message.', 'Reject at message acceptance (commit) level.'),
    causes: [t('Message refusé par la couche de réception (structure ou version).', 'Message refused by the receiving layer (structure or version).')],
    fix: t('Vérifier la structure du message et son interaction.', 'Check the message structure and interaction.'),
    sources: [ACK],
  },
  {
    code: 'hl7v3:query:QE', aliases: ['QE'],
    kind: 'hl7v3', severity: 'error', origin: 'wire',
    meaning: t('Erreur dans les paramètres de la requête.', 'Problem with the query parameters.'),
    causes: [t('Paramètre de recherche invalide (identifiant patient, traits d’identité en TD0.5).', 'Invalid query parameter (patient id, identity traits in TD0.5).')],
    fix: t('Corriger les paramètres de la requête.', 'Fix the query parameters.'),
    sources: [QUERY],
  },
  {
    code: 'hl7v3:query:AE',
    kind: 'hl7v3', severity: 'error', origin: 'wire',
    meaning: t('Erreur applicative lors de la requête.', 'Application error while running the query.'),
    causes: [t('Incident côté DMP.', 'Incident on the DMP side.')],
    fix: t('Réessayer plus tard ; transmettre l’échange au support s’il persiste.', 'Try again later; send the exchange to support if it persists.'),
    sources: [QUERY],
  },
];
