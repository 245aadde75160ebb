/**
 * SOAP 1.2 / 1.1 fault codes, WS-Addressing 1.0 faults and WS-Security faults, keyed by canonical prefix
 * (see fault-code.ts): `soap:`, `soap11:` (aliases), `wsa:`, `wsse:`.
 */
import { text as t, type SourceRef } from '../types.js';
import type { CatalogueEntry } from './entry.js';

const SOAP12: SourceRef = { ref: 'W3C SOAP 1.2 Part 1 §5.4.6 (SOAP fault codes)', confidence: 'OFF' };
const SOAP11: SourceRef = { ref: 'W3C SOAP 1.1 §4.4.1 (fault codes)', confidence: 'OFF' };
const WSA: SourceRef = { ref: 'W3C WS-Addressing 1.0 SOAP Binding §6.4 (predefined faults)', confidence: 'OFF' };
const WSS: SourceRef = { ref: 'OASIS WS-Security SOAP Message Security 1.1 §12 (error handling)', confidence: 'OFF' };
const DMP_SOAP: SourceRef = { ref: 'dmp-interface.md §1.1 (SOAP 1.2, WS-Addressing, mustUnderstand Action)', confidence: 'EX' };

const wsaSub = (code: string, fr: string, en: string, fix: [string, string]): CatalogueEntry => ({
  code: `wsa:${code}`,
  kind: 'soap', severity: 'error', origin: 'wire',
  meaning: t(`En-tête WS-Addressing invalide : ${fr}`, `Invalid WS-Addressing header: ${en}`),
  causes: [t('En-tête construit à la main ou par une pile mal configurée.', 'Header built by hand or by a misconfigured stack.')],
  fix: t(fix[0], fix[1]),
  sources: [WSA],
});

export const SOAP_ENTRIES: CatalogueEntry[] = [
  {
    code: 'soap:VersionMismatch', aliases: ['soap11:VersionMismatch'],
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('L’enveloppe n’est pas dans la version de SOAP attendue par le serveur.', 'The envelope is not in the SOAP version the server expects.'),
    causes: [
      t('Enveloppe SOAP 1.1 (http://schemas.xmlsoap.org/soap/envelope/) envoyée au DMP, qui attend SOAP 1.2.', 'SOAP 1.1 envelope (http://schemas.xmlsoap.org/soap/envelope/) sent to the DMP, which expects SOAP 1.2.'),
      t('Content-Type incohérent avec l’enveloppe (text/xml pour 1.1, application/soap+xml pour 1.2).', 'Content-Type inconsistent with the envelope (text/xml for 1.1, application/soap+xml for 1.2).'),
    ],
    fix: t('Envoyer une enveloppe SOAP 1.2 (http://www.w3.org/2003/05/soap-envelope) avec le Content-Type application/soap+xml (ou MTOM avec start-info="application/soap+xml").', 'Send a SOAP 1.2 envelope (http://www.w3.org/2003/05/soap-envelope) with Content-Type application/soap+xml (or MTOM with start-info="application/soap+xml").'),
    sources: [SOAP12, SOAP11, DMP_SOAP],
  },
  {
    code: 'soap:MustUnderstand', aliases: ['soap11:MustUnderstand'],
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Un en-tête marqué mustUnderstand n’a pas été compris par le serveur.', 'A header marked mustUnderstand was not understood by the server.'),
    causes: [
      t('wsse:Security ou wsa:Action marqué mustUnderstand envoyé à un service qui ne traite pas WS-Security / WS-Addressing (mauvais point d’accès).', 'wsse:Security or wsa:Action marked mustUnderstand sent to a service that does not process WS-Security / WS-Addressing (wrong endpoint).'),
      t('Espace de noms d’un en-tête mal orthographié (WS-Addressing 2004/08 au lieu de 2005/08).', 'Misspelt header namespace (WS-Addressing 2004/08 instead of 2005/08).'),
    ],
    fix: t('Vérifier l’URL du service et les espaces de noms des en-têtes ; le détail NotUnderstood de la faute nomme l’en-tête.', 'Check the service URL and the header namespaces; the fault’s NotUnderstood detail names the header.'),
    sources: [SOAP12, SOAP11],
  },
  {
    code: 'soap:DataEncodingUnknown',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Encodage SOAP (encodingStyle) non pris en charge.', 'Unsupported SOAP encoding (encodingStyle).'),
    causes: [t('Attribut encodingStyle (encodage SOAP RPC) dans un message document/literal.', 'An encodingStyle attribute (SOAP RPC encoding) in a document/literal message.')],
    fix: t('Retirer encodingStyle ; les transactions IHE et DMP sont en document/literal.', 'Remove encodingStyle; IHE and DMP transactions are document/literal.'),
    sources: [SOAP12],
  },
  {
    code: 'soap:Sender', aliases: ['soap11:Client', 'Client'],
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Le message est en cause (côté émetteur) : il est mal formé ou ne contient pas ce qu’il faut ; le renvoyer tel quel échouera de nouveau.', 'The message is at fault (sender side): it is malformed or lacks what is needed; resending it unchanged will fail again.'),
    causes: [
      t('VIHF absent, non signé, signé avec le mauvais certificat ou incomplet (un sous-code ou le texte de la faute le précise).', 'VIHF missing, unsigned, signed with the wrong certificate or incomplete (a subcode or the fault text says which).'),
      t('Enveloppe, en-têtes WS-Addressing ou corps non conformes au service appelé.', 'Envelope, WS-Addressing headers or body not matching the service called.'),
      t('Message envoyé en SOAP simple alors que MTOM est exigé.', 'Message sent as plain SOAP where MTOM is required.'),
    ],
    fix: t('Lire le sous-code et le texte de la faute ; corriger le message avant de le renvoyer.', 'Read the subcode and the fault text; fix the message before resending it.'),
    sources: [SOAP12, SOAP11],
  },
  {
    code: 'soap:Receiver', aliases: ['soap11:Server', 'Server'],
    kind: 'soap', severity: 'error', origin: 'wire', retryable: true,
    meaning: t('Le serveur n’a pas pu traiter un message a priori correct (erreur côté serveur) ; un nouvel essai plus tard peut réussir.', 'The server could not process a presumably correct message (server-side error); a later attempt may succeed.'),
    causes: [
      t('Incident ou indisponibilité d’un composant du DMP.', 'Incident or unavailability of a DMP component.'),
      t('Erreur interne déclenchée par un contenu inattendu (le texte de la faute le dit parfois).', 'Internal error triggered by unexpected content (the fault text sometimes says so).'),
    ],
    fix: t('Réessayer plus tard (après vérification par uniqueId pour une alimentation) ; si l’erreur persiste, transmettre l’échange enregistré au support DMP.', 'Try again later (after checking by uniqueId for a submission); if it persists, send the recorded exchange to the DMP support.'),
    sources: [SOAP12, SOAP11],
  },
  {
    code: 'SOAP-MTOM-REQUIRED',
    kind: 'soap', severity: 'error', origin: 'text',
    textPatterns: ['MTOM is required', 'MTOM required', 'MTOM (?:est )?(?:obligatoire|requis)'],
    meaning: t('Le service exige un message MTOM/XOP (multipart/related) et a reçu du SOAP simple.', 'The service requires an MTOM/XOP message (multipart/related) and got plain SOAP.'),
    causes: [t('ITI-41 ou ITI-43 envoyé en application/soap+xml simple, ou documents en base64 dans le corps au lieu de xop:Include.', 'ITI-41 or ITI-43 sent as plain application/soap+xml, or documents inline in base64 instead of xop:Include.')],
    fix: t('Envoyer un multipart/related; type="application/xop+xml" avec les documents en parties MIME référencées par xop:Include.', 'Send multipart/related; type="application/xop+xml" with the documents as MIME parts referenced by xop:Include.'),
    sources: [{ ref: 'corpus nist-soap12-fault-mtom-required.xml (NIST toolkit fault text)', confidence: 'EX' }, { ref: 'IHE ITI TF-2x Appendix V (MTOM for ITI-41/43)', confidence: 'OFF' }],
  },
  {
    code: 'wsa:InvalidAddressingHeader',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Un en-tête WS-Addressing est invalide (un sous-code précise lequel).', 'A WS-Addressing header is invalid (a subcode says which).'),
    causes: [
      t('Action, To, MessageID ou ReplyTo mal formé, en double ou dans le mauvais espace de noms.', 'Action, To, MessageID or ReplyTo malformed, duplicated or in the wrong namespace.'),
      t('MessageID qui n’est pas une URI (urn:uuid:…).', 'MessageID that is not a URI (urn:uuid:…).'),
    ],
    fix: t('Utiliser http://www.w3.org/2005/08/addressing, un MessageID urn:uuid:…, une seule Action égale à celle de la transaction.', 'Use http://www.w3.org/2005/08/addressing, a urn:uuid:… MessageID, and a single Action equal to the transaction’s.'),
    sources: [WSA, DMP_SOAP],
  },
  wsaSub('InvalidAddress', 'adresse invalide', 'invalid address', ['Mettre une URI absolue (ou l’adresse anonyme) dans To / ReplyTo.', 'Put an absolute URI (or the anonymous address) in To / ReplyTo.']),
  wsaSub('InvalidEPR', 'référence de point d’accès (EPR) invalide', 'invalid endpoint reference (EPR)', ['Corriger la structure de ReplyTo/FaultTo (Address obligatoire).', 'Fix the ReplyTo/FaultTo structure (Address is required).']),
  wsaSub('InvalidCardinality', 'en-tête présent un nombre de fois incorrect', 'header present the wrong number of times', ['Un seul Action, To, MessageID, ReplyTo.', 'A single Action, To, MessageID, ReplyTo.']),
  wsaSub('MissingAddressInEPR', 'EPR sans Address', 'EPR without Address', ['Ajouter Address à ReplyTo/FaultTo (http://www.w3.org/2005/08/addressing/anonymous).', 'Add Address to ReplyTo/FaultTo (http://www.w3.org/2005/08/addressing/anonymous).']),
  wsaSub('DuplicateMessageID', 'MessageID déjà reçu', 'MessageID already received', ['Générer un MessageID urn:uuid nouveau pour chaque message distinct.', 'Generate a fresh urn:uuid MessageID for each distinct message.']),
  wsaSub('ActionMismatch', 'Action WS-Addressing différente du paramètre action du Content-Type / SOAPAction', 'WS-Addressing Action differs from the Content-Type action parameter / SOAPAction', ['Mettre la même action dans wsa:Action et dans le Content-Type.', 'Put the same action in wsa:Action and in the Content-Type.']),
  wsaSub('OnlyAnonymousAddressSupported', 'seule l’adresse anonyme est acceptée', 'only the anonymous address is supported', ['Mettre ReplyTo à l’adresse anonyme http://www.w3.org/2005/08/addressing/anonymous.', 'Set ReplyTo to the anonymous address http://www.w3.org/2005/08/addressing/anonymous.']),
  wsaSub('OnlyNonAnonymousAddressSupported', 'l’adresse anonyme n’est pas acceptée', 'the anonymous address is not supported', ['Donner une adresse de réponse explicite.', 'Give an explicit reply address.']),
  {
    code: 'wsa:MessageAddressingHeaderRequired',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Un en-tête WS-Addressing obligatoire manque (le détail nomme lequel).', 'A required WS-Addressing header is missing (the detail names it).'),
    causes: [t('Action, MessageID ou To absent.', 'Action, MessageID or To missing.')],
    fix: t('Ajouter Action (mustUnderstand), MessageID, To et ReplyTo comme dans les exemples officiels.', 'Add Action (mustUnderstand), MessageID, To and ReplyTo as in the official examples.'),
    sources: [WSA, DMP_SOAP],
  },
  {
    code: 'wsa:DestinationUnreachable',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Aucune route vers la destination indiquée dans To.', 'No route to the destination given in To.'),
    causes: [t('En-tête To ne correspondant pas au service appelé.', 'To header not matching the service called.')],
    fix: t('Mettre dans To l’URL du service appelé (ou le laisser vide comme les exemples DMP).', 'Put the called service URL in To (or leave it empty as the DMP examples do).'),
    sources: [WSA],
  },
  {
    code: 'wsa:ActionNotSupported',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Le service ne connaît pas l’Action WS-Addressing reçue.', 'The service does not know the WS-Addressing Action it received.'),
    causes: [
      t('Message envoyé au mauvais service (ex. une requête ITI-18 au service repository).', 'Message sent to the wrong service (e.g. an ITI-18 query to the repository service).'),
      t('Action mal orthographiée (ex. urn:ihe:iti:2007:RegistryStoredQuery), espaces ou retour à la ligne dans la valeur.', 'Misspelt Action (e.g. urn:ihe:iti:2007:RegistryStoredQuery), spaces or a line break in the value.'),
    ],
    fix: t('Vérifier le couple service/Action de la transaction (dmp-interface.md §1).', 'Check the service/Action pair of the transaction (dmp-interface.md §1).'),
    sources: [WSA, { ref: 'dmp-interface.md §1 (services and Actions)', confidence: 'EX' }],
  },
  {
    code: 'wsa:EndpointUnavailable',
    kind: 'soap', severity: 'error', origin: 'wire', retryable: true,
    meaning: t('Le point d’accès ne peut pas traiter le message pour le moment.', 'The endpoint cannot process the message at this time.'),
    causes: [t('Maintenance ou surcharge du service.', 'Service maintenance or overload.')],
    fix: t('Réessayer plus tard (le détail peut donner un délai RetryAfter).', 'Try again later (the detail may give a RetryAfter delay).'),
    sources: [WSA],
  },
  {
    code: 'wsse:UnsupportedSecurityToken',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Type de jeton de sécurité non pris en charge.', 'Unsupported security token type.'),
    causes: [t('Jeton autre qu’une assertion SAML 2.0 (VIHF) dans wsse:Security.', 'A token other than a SAML 2.0 assertion (VIHF) in wsse:Security.')],
    fix: t('Placer le VIHF (saml2:Assertion signée) dans wsse:Security.', 'Put the VIHF (signed saml2:Assertion) in wsse:Security.'),
    sources: [WSS],
  },
  {
    code: 'wsse:UnsupportedAlgorithm',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Algorithme de signature ou de chiffrement non pris en charge.', 'Unsupported signature or encryption algorithm.'),
    causes: [t('Signature du VIHF avec un algorithme refusé (canonicalisation autre que exc-c14n, hachage non accepté).', 'VIHF signed with a refused algorithm (canonicalisation other than exc-c14n, digest not accepted).')],
    fix: t('Signer en RSA-SHA256 (ou SHA-1 si le DMP l’exige) avec exc-c14n.', 'Sign with RSA-SHA256 (or SHA-1 if the DMP requires it) with exc-c14n.'),
    sources: [WSS, { ref: 'dmp-interface.md §2 (rsa-sha1 and rsa-sha256 both seen)', confidence: 'EX' }],
  },
  {
    code: 'wsse:InvalidSecurity',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Erreur dans le traitement de l’en-tête wsse:Security.', 'An error was found processing the wsse:Security header.'),
    causes: [t('En-tête Security absent, en double, ou VIHF mal placé.', 'Security header missing, duplicated, or VIHF misplaced.')],
    fix: t('Un seul wsse:Security contenant le VIHF signé.', 'A single wsse:Security holding the signed VIHF.'),
    sources: [WSS],
  },
  {
    code: 'wsse:InvalidSecurityToken',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Le jeton de sécurité (VIHF) est invalide.', 'The security token (VIHF) is invalid.'),
    causes: [t('Assertion SAML non conforme (attribut obligatoire manquant, dates, Issuer).', 'Non-conforming SAML assertion (required attribute missing, dates, Issuer).')],
    fix: t('Vérifier le VIHF avec `dmp inspect` (attributs du §2 de dmp-interface.md).', 'Check the VIHF with `dmp inspect` (attributes of dmp-interface.md §2).'),
    sources: [WSS],
  },
  {
    code: 'wsse:FailedAuthentication',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Le jeton n’a pas pu être authentifié ou autorisé.', 'The security token could not be authenticated or authorised.'),
    causes: [t('Certificat de signature du VIHF inconnu, révoqué ou non lié à la structure.', 'VIHF signing certificate unknown, revoked or not linked to the structure.')],
    fix: t('Signer le VIHF avec le certificat de signature (ORG SIGN / CPS signature) de la structure déclarée.', 'Sign the VIHF with the signature certificate (ORG SIGN / CPS signature) of the declared structure.'),
    sources: [WSS],
  },
  {
    code: 'wsse:FailedCheck',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('La signature (ou le déchiffrement) est invalide.', 'The signature or decryption was invalid.'),
    causes: [
      t('VIHF modifié après signature (ré-indentation, réécriture des espaces de noms).', 'VIHF changed after signing (re-indentation, namespace rewriting).'),
      t('Canonicalisation ou références de la signature incorrectes.', 'Wrong canonicalisation or signature references.'),
    ],
    fix: t('Signer en dernier et insérer l’assertion telle quelle, sans la re-sérialiser.', 'Sign last and insert the assertion as is, without re-serialising it.'),
    sources: [WSS],
  },
  {
    code: 'wsse:SecurityTokenUnavailable',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Un jeton de sécurité référencé n’a pas pu être obtenu.', 'A referenced security token could not be retrieved.'),
    causes: [t('Référence à un jeton externe absent du message.', 'Reference to an external token missing from the message.')],
    fix: t('Inclure le certificat dans KeyInfo/X509Data du VIHF.', 'Include the certificate in the VIHF KeyInfo/X509Data.'),
    sources: [WSS],
  },
  {
    code: 'wsse:MessageExpired',
    kind: 'soap', severity: 'error', origin: 'wire',
    meaning: t('Le message ou le jeton est expiré.', 'The message or token has expired.'),
    causes: [t('Horloge du poste décalée (IssueInstant/NotOnOrAfter), VIHF réutilisé trop longtemps.', 'Workstation clock skew (IssueInstant/NotOnOrAfter), VIHF reused for too long.')],
    fix: t('Synchroniser l’horloge (NTP) et générer un VIHF par requête.', 'Synchronise the clock (NTP) and build one VIHF per request.'),
    sources: [WSS, { ref: 'anchors.md §4.6 (clock skew)', confidence: '3P' }],
  },
];
