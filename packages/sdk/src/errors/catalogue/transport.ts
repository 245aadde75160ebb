/** Conditions the transport detects (TRANSPORT-*), and the HTTP statuses worth a specific explanation (HTTP-*). */
import { text as t, type SourceRef } from '../types.js';
import type { CatalogueEntry } from './entry.js';

const DMPKIT: SourceRef = { ref: 'dmpkit transport (packages/sdk/src/transport)', confidence: 'dmpkit' };
const CRYPTO: SourceRef = { ref: 'dmp-interface.md §1.1 (PDT-INF-579: TLS 1.2, allowed suites, mTLS)', confidence: 'OFF' };
const HTTP: SourceRef = { ref: 'RFC 9110 (HTTP semantics)', confidence: 'OFF' };
const FAULT_500: SourceRef = { ref: 'dmp-interface.md §1.1 (HTTP 500 carries SOAP faults)', confidence: '3P' };

const entry = (code: string, e: Omit<CatalogueEntry, 'code' | 'kind' | 'origin' | 'sources'> & { sources?: SourceRef[] }): CatalogueEntry => ({
  code,
  kind: 'transport',
  origin: 'dmpkit',
  ...e,
  sources: e.sources ?? [DMPKIT],
});

const CHECK_WRITE = t(
  'Lecture : dmpkit réessaie selon la politique configurée. Alimentation : ne pas renvoyer avant d’avoir vérifié par uniqueId que le document n’est pas arrivé.',
  'Read: dmpkit retries per the configured policy. Submission: do not resend before checking by uniqueId that the document did not land.',
);

export const TRANSPORT_ENTRIES: CatalogueEntry[] = [
  entry('TRANSPORT-CONNECT-TIMEOUT', {
    severity: 'error', retryable: true,
    meaning: t('La connexion TCP/TLS au DMP n’a pas abouti dans le délai : la requête n’est pas partie.', 'The TCP/TLS connection to the DMP did not complete in time: the request was not sent.'),
    causes: [
      t('Pare-feu ou proxy sortant bloquant le port 443 vers l’hôte du DMP.', 'Outbound firewall or proxy blocking port 443 to the DMP host.'),
      t('Hôte ou port erronés dans l’URL du profil.', 'Wrong host or port in the profile URL.'),
      t('Réseau lent ou indisponible.', 'Slow or unavailable network.'),
    ],
    fix: t('Vérifier l’URL (profil : endpoint) et l’accès réseau sortant ; augmenter timeouts.connectMs si le réseau est lent.', 'Check the URL (profile: endpoint) and outbound network access; raise timeouts.connectMs on a slow network.'),
  }),
  entry('TRANSPORT-HEADERS-TIMEOUT', {
    severity: 'error', retryable: true,
    meaning: t('La requête est partie mais le DMP n’a pas répondu dans le délai : on ne sait pas si elle a été traitée.', 'The request was sent but the DMP did not answer in time: whether it was processed is unknown.'),
    causes: [
      t('Traitement long côté DMP (gros document, charge).', 'Long processing on the DMP side (large document, load).'),
      t('Délai timeouts.headersMs trop court pour la transaction.', 'timeouts.headersMs too short for the transaction.'),
    ],
    fix: CHECK_WRITE,
  }),
  entry('TRANSPORT-BODY-TIMEOUT', {
    severity: 'error', retryable: true,
    meaning: t('La réponse a commencé puis s’est interrompue (aucune donnée reçue dans le délai).', 'The response started then stalled (no data received in time).'),
    causes: [t('Réseau instable, réponse volumineuse (récupération de documents).', 'Unstable network, large response (document retrieval).')],
    fix: CHECK_WRITE,
  }),
  entry('TRANSPORT-CONNECTION-REFUSED', {
    severity: 'error', retryable: true,
    meaning: t('Connexion refusée : rien n’écoute à cette adresse (la requête n’est pas partie).', 'Connection refused: nothing listens at this address (the request was not sent).'),
    causes: [
      t('Mauvais port ou hôte dans l’URL.', 'Wrong port or host in the URL.'),
      t('Simulateur local non démarré (profil simulator).', 'Local simulator not started (simulator profile).'),
    ],
    fix: t('Vérifier l’URL du profil ; pour le profil simulator, démarrer le simulateur ou fixer DMPKIT_SIMULATOR_PORT.', 'Check the profile URL; for the simulator profile, start the simulator or set DMPKIT_SIMULATOR_PORT.'),
  }),
  entry('TRANSPORT-CONNECTION-RESET', {
    severity: 'error', retryable: true,
    meaning: t('La connexion a été coupée pendant l’échange (RST, fermeture brutale).', 'The connection was cut during the exchange (RST, abrupt close).'),
    causes: [
      t('Certificat client refusé après la poignée de main (le serveur coupe la connexion).', 'Client certificate refused after the handshake (the server drops the connection).'),
      t('Proxy, répartiteur de charge ou pare-feu coupant les connexions longues.', 'Proxy, load balancer or firewall cutting long connections.'),
      t('Redémarrage du serveur.', 'Server restart.'),
    ],
    fix: CHECK_WRITE,
  }),
  entry('TRANSPORT-DNS', {
    severity: 'error', retryable: true,
    meaning: t('Le nom d’hôte du DMP ne se résout pas.', 'The DMP host name does not resolve.'),
    causes: [t('Faute de frappe dans l’URL, DNS interne sans résolution externe, réseau coupé.', 'Typo in the URL, internal DNS without external resolution, network down.')],
    fix: t('Vérifier l’hôte de l’URL du profil (ex. lps2.dmp.gouv.fr) et la configuration DNS.', 'Check the host of the profile URL (e.g. lps2.dmp.gouv.fr) and the DNS configuration.'),
  }),
  entry('TRANSPORT-TLS', {
    severity: 'error',
    meaning: t('La négociation TLS a échoué (version ou suite de chiffrement).', 'The TLS handshake failed (version or cipher suite).'),
    causes: [
      t('Aucune suite commune : le DMP n’accepte en accès LPS que TLS 1.2 avec ECDHE-RSA-AES (GCM ou CBC-SHA384).', 'No common suite: for LPS access the DMP accepts only TLS 1.2 with ECDHE-RSA-AES (GCM or CBC-SHA384).'),
      t('Proxy d’inspection TLS entre le poste et le DMP.', 'A TLS-inspecting proxy between the workstation and the DMP.'),
    ],
    fix: t('Laisser les réglages TLS par défaut (TLS 1.2) ; exclure le DMP de l’inspection TLS.', 'Keep the default TLS settings (TLS 1.2); exclude the DMP from TLS inspection.'),
    sources: [DMPKIT, CRYPTO],
  }),
  entry('TRANSPORT-CERTIFICATE', {
    severity: 'error',
    meaning: t('Le certificat présenté par le serveur n’est pas de confiance (autorité inconnue, nom, validité).', 'The server certificate is not trusted (unknown authority, name, validity).'),
    causes: [
      t('Chaîne IGC-Santé absente du paquet d’autorités (profil : ca).', 'IGC-Santé chain missing from the CA bundle (profile: ca).'),
      t('Nom d’hôte de l’URL différent de celui du certificat.', 'URL host name different from the certificate’s.'),
      t('Certificat serveur expiré, ou horloge du poste fausse.', 'Server certificate expired, or workstation clock wrong.'),
    ],
    fix: t('Configurer le paquet d’autorités IGC-Santé (profil : ca), utiliser le nom d’hôte exact, vérifier l’horloge.', 'Configure the IGC-Santé CA bundle (profile: ca), use the exact host name, check the clock.'),
    sources: [DMPKIT, CRYPTO],
  }),
  entry('TRANSPORT-CLIENT-CERTIFICATE', {
    severity: 'error',
    meaning: t('Le serveur a refusé le certificat d’authentification de la structure (TLS mutuel).', 'The server refused the structure’s authentication certificate (mutual TLS).'),
    causes: [
      t('Aucun certificat client configuré (profil : auth).', 'No client certificate configured (profile: auth).'),
      t('Certificat expiré, révoqué, ou d’une autre autorité que l’IGC-Santé.', 'Certificate expired, revoked, or from another authority than IGC-Santé.'),
      t('Certificat de signature utilisé à la place du certificat d’authentification (AUTH_CLI).', 'Signature certificate used instead of the authentication one (AUTH_CLI).'),
    ],
    fix: t('Configurer le certificat d’authentification AUTH_CLI de la structure (PKCS#12 + mot de passe, ou PEM) et vérifier sa validité.', 'Configure the structure’s AUTH_CLI authentication certificate (PKCS#12 + password, or PEM) and check its validity.'),
    sources: [DMPKIT, CRYPTO],
  }),
  entry('TRANSPORT-HTTP-STATUS', {
    severity: 'error',
    meaning: t('Le serveur a répondu par un statut HTTP d’erreur sans message SOAP (page d’erreur d’un proxy ou d’un serveur web).', 'The server answered with an HTTP error status and no SOAP message (error page from a proxy or web server).'),
    causes: [
      t('URL de service erronée (404), méthode refusée (405), proxy en erreur (502/504), maintenance (503).', 'Wrong service URL (404), method refused (405), failing proxy (502/504), maintenance (503).'),
    ],
    fix: t('Lire le statut et l’extrait de corps ; l’explication du statut HTTP suit quand il est connu.', 'Read the status and the body excerpt; the HTTP status explanation follows when it is known.'),
  }),
  entry('TRANSPORT-NOT-SOAP', {
    severity: 'error',
    meaning: t('Réponse HTTP de succès dont le corps n’est pas un message SOAP (vide, HTML, JSON).', 'Successful HTTP response whose body is not a SOAP message (empty, HTML, JSON).'),
    causes: [
      t('URL pointant vers autre chose que le service SOAP (page d’accueil, portail).', 'URL pointing to something other than the SOAP service (home page, portal).'),
      t('Proxy captif ou page d’authentification intermédiaire.', 'Captive proxy or intermediate login page.'),
    ],
    fix: t('Vérifier l’URL de base (…/si-dmp-server/v2/services) et le nom du service.', 'Check the base URL (…/si-dmp-server/v2/services) and the service name.'),
  }),
  entry('TRANSPORT-TRUNCATED', {
    severity: 'error', retryable: true,
    meaning: t('La réponse est incomplète (connexion fermée avant la fin, ou message multipart sans délimiteur final).', 'The response is incomplete (connection closed before the end, or multipart message without its closing delimiter).'),
    causes: [t('Coupure réseau, proxy limitant la taille, serveur interrompu.', 'Network cut, size-limiting proxy, interrupted server.')],
    fix: CHECK_WRITE,
  }),
  entry('TRANSPORT-TOO-LARGE', {
    severity: 'error',
    meaning: t('La réponse dépasse la taille maximale acceptée : la lecture a été arrêtée.', 'The response exceeds the maximum accepted size: reading was stopped.'),
    causes: [t('Récupération de nombreux ou gros documents en une fois.', 'Retrieving many or large documents at once.')],
    fix: t('Récupérer moins de documents par requête ou augmenter maxResponseBytes.', 'Retrieve fewer documents per request or raise maxResponseBytes.'),
  }),
  entry('TRANSPORT-ABORTED', {
    severity: 'error',
    meaning: t('L’échange a été annulé par l’appelant (signal d’annulation).', 'The exchange was aborted by the caller (abort signal).'),
    causes: [t('Annulation par l’utilisateur ou délai global de l’application.', 'Cancelled by the user or by an application-wide deadline.')],
    fix: t('Pour une alimentation annulée, vérifier par uniqueId si le document est arrivé.', 'For a cancelled submission, check by uniqueId whether the document landed.'),
  }),
  entry('TRANSPORT-NETWORK', {
    severity: 'error',
    meaning: t('Erreur réseau non classée (voir le code système).', 'Unclassified network error (see the system code).'),
    causes: [t('Erreur du système ou de la bibliothèque HTTP.', 'System or HTTP library error.')],
    fix: t('Lire le code système et le détail ; transmettre l’échange enregistré si besoin.', 'Read the system code and detail; send the recorded exchange if needed.'),
  }),
  entry('HTTP-400', {
    severity: 'error', sources: [HTTP],
    meaning: t('400 Bad Request : requête HTTP mal formée.', '400 Bad Request: malformed HTTP request.'),
    causes: [t('Content-Type incohérent (boundary MTOM, start), corps coupé.', 'Inconsistent Content-Type (MTOM boundary, start), cut body.')],
    fix: t('Vérifier l’en-tête Content-Type et le multipart.', 'Check the Content-Type header and the multipart body.'),
  }),
  entry('HTTP-401', {
    severity: 'error', sources: [HTTP],
    meaning: t('401 Unauthorized : authentification HTTP exigée.', '401 Unauthorized: HTTP authentication required.'),
    causes: [t('Proxy exigeant une authentification ; jeton d’accès (Pro Santé Connect) absent.', 'Proxy requiring authentication; missing access token (Pro Santé Connect).')],
    fix: t('Configurer l’accès au proxy ; vérifier le mode d’accès attendu.', 'Configure proxy access; check the expected access mode.'),
  }),
  entry('HTTP-403', {
    severity: 'error', sources: [HTTP],
    meaning: t('403 Forbidden : accès refusé avant SOAP.', '403 Forbidden: access refused before SOAP.'),
    causes: [t('Certificat client non autorisé pour ce service, filtrage IP.', 'Client certificate not allowed for this service, IP filtering.')],
    fix: t('Vérifier le certificat d’authentification et l’environnement (test / production).', 'Check the authentication certificate and the environment (test / production).'),
  }),
  entry('HTTP-404', {
    severity: 'error',
    meaning: t('404 Not Found : aucun service à cette URL.', '404 Not Found: no service at this URL.'),
    causes: [t('Base d’URL ou nom de service faux (patients, habilitations, registry, repository).', 'Wrong base URL or service name (patients, habilitations, registry, repository).')],
    fix: t('Base attendue : https://<hôte>/si-dmp-server/v2/services, puis le nom du service.', 'Expected base: https://<host>/si-dmp-server/v2/services, then the service name.'),
    sources: [HTTP, { ref: 'dmp-interface.md §1 (base URL pattern)', confidence: 'OFF' }],
  }),
  entry('HTTP-405', {
    severity: 'error', sources: [HTTP],
    meaning: t('405 Method Not Allowed : méthode HTTP refusée.', '405 Method Not Allowed: HTTP method refused.'),
    causes: [t('URL d’une page web et non d’un service SOAP.', 'URL of a web page rather than a SOAP service.')],
    fix: t('Vérifier l’URL du service.', 'Check the service URL.'),
  }),
  entry('HTTP-413', {
    severity: 'error', sources: [HTTP],
    meaning: t('413 Content Too Large : requête trop volumineuse.', '413 Content Too Large: request too large.'),
    causes: [t('Lot trop gros pour le serveur ou un proxy.', 'Lot too large for the server or a proxy.')],
    fix: t('Déposer moins de documents par lot ; vérifier la taille des documents.', 'Submit fewer documents per lot; check document sizes.'),
  }),
  entry('HTTP-415', {
    severity: 'error', sources: [HTTP],
    meaning: t('415 Unsupported Media Type : Content-Type refusé.', '415 Unsupported Media Type: Content-Type refused.'),
    causes: [t('text/xml (SOAP 1.1) envoyé à un service SOAP 1.2, ou MTOM attendu.', 'text/xml (SOAP 1.1) sent to a SOAP 1.2 service, or MTOM expected.')],
    fix: t('application/soap+xml ou multipart/related; type="application/xop+xml".', 'application/soap+xml or multipart/related; type="application/xop+xml".'),
  }),
  entry('HTTP-500', {
    severity: 'error', sources: [HTTP, FAULT_500],
    meaning: t('500 sans message SOAP : erreur serveur non formatée (les fautes SOAP du DMP arrivent normalement en 500 avec un corps SOAP).', '500 without a SOAP message: unformatted server error (DMP SOAP faults normally come as 500 with a SOAP body).'),
    causes: [t('Incident serveur ou d’un intermédiaire.', 'Server or intermediary incident.')],
    fix: t('Réessayer plus tard ; transmettre l’échange enregistré au support s’il persiste.', 'Try again later; send the recorded exchange to support if it persists.'),
  }),
  entry('HTTP-502', {
    severity: 'error', retryable: true, sources: [HTTP],
    meaning: t('502 Bad Gateway : un intermédiaire n’a pas obtenu de réponse valide du DMP.', '502 Bad Gateway: an intermediary got no valid answer from the DMP.'),
    causes: [t('Incident d’un proxy ou du DMP.', 'Proxy or DMP incident.')],
    fix: CHECK_WRITE,
  }),
  entry('HTTP-503', {
    severity: 'error', retryable: true, sources: [HTTP],
    meaning: t('503 Service Unavailable : service indisponible (maintenance, surcharge).', '503 Service Unavailable: service unavailable (maintenance, overload).'),
    causes: [t('Maintenance ou surcharge du DMP.', 'DMP maintenance or overload.')],
    fix: CHECK_WRITE,
  }),
  entry('HTTP-504', {
    severity: 'error', retryable: true, sources: [HTTP],
    meaning: t('504 Gateway Timeout : un intermédiaire n’a pas eu de réponse du DMP à temps.', '504 Gateway Timeout: an intermediary got no answer from the DMP in time.'),
    causes: [t('Traitement long côté DMP ; la requête a pu être traitée.', 'Long processing on the DMP side; the request may have been processed.')],
    fix: CHECK_WRITE,
  }),
];
