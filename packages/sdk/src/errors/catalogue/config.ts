/** Configuration problems (profiles, secrets, certificates, catalogue files): the codes of ConfigError. */
import { text as t, type SourceRef } from '../types.js';
import type { CatalogueEntry } from './entry.js';

const DOC: SourceRef = { ref: 'docs/configuration.md', confidence: 'dmpkit' };

const entry = (code: string, meaning: [string, string], causes: [string, string][], fix: [string, string]): CatalogueEntry => ({
  code,
  kind: 'config',
  severity: 'error',
  origin: 'dmpkit',
  meaning: t(...meaning),
  causes: causes.map((c) => t(...c)),
  fix: t(...fix),
  sources: [DOC],
});

export const CONFIG_ENTRIES: CatalogueEntry[] = [
  entry('CONFIG-INVALID', ['Une valeur de configuration est invalide (le champ et sa source sont nommés).', 'A configuration value is invalid (the field and its source are named).'],
    [['Faute de frappe, type erroné (texte au lieu de nombre), valeur hors liste.', 'Typo, wrong type (text instead of number), value outside the allowed list.']],
    ['Corriger le champ cité dans la source citée (profil, variable d’environnement ou option).', 'Fix the named field in the named source (profile, environment variable or option).']),
  entry('CONFIG-FILE', ['Le fichier de profils est illisible ou n’est pas du JSON valide.', 'The profiles file cannot be read or is not valid JSON.'],
    [['Droits du fichier, JSON mal formé (virgule en trop, commentaire).', 'File permissions, malformed JSON (trailing comma, comment).']],
    ['Corriger le fichier indiqué (ou fixer DMPKIT_CONFIG_DIR vers le bon dossier).', 'Fix the named file (or point DMPKIT_CONFIG_DIR to the right folder).']),
  entry('CONFIG-NO-PROFILE', ['Aucun profil choisi et aucun profil par défaut.', 'No profile chosen and no default profile.'],
    [['Plusieurs profils sans defaultProfile, et ni option ni DMPKIT_PROFILE.', 'Several profiles without defaultProfile, and neither an option nor DMPKIT_PROFILE.']],
    ['Choisir un profil (DMPKIT_PROFILE ou option) ou fixer defaultProfile dans profiles.json.', 'Choose a profile (DMPKIT_PROFILE or option) or set defaultProfile in profiles.json.']),
  entry('CONFIG-PROFILE-UNKNOWN', ['Le profil demandé n’existe pas.', 'The requested profile does not exist.'],
    [['Nom mal orthographié ou fichier de profils différent.', 'Misspelt name or different profiles file.']],
    ['Utiliser un des profils listés dans le message.', 'Use one of the profiles listed in the message.']),
  entry('CONFIG-INCOMPLETE', ['Le profil ne contient pas ce qu’exige l’opération (certificats, structure, LPS, professionnel).', 'The profile lacks what the operation needs (certificates, structure, software, professional).'],
    [['Profil prévu pour une autre opération, ou variables d’environnement non définies.', 'Profile meant for another operation, or environment variables not set.']],
    ['Renseigner les champs listés.', 'Fill in the listed fields.']),
  entry('CONFIG-SECRET', ['Un secret (mot de passe) référencé n’a pas pu être lu.', 'A referenced secret (password) could not be read.'],
    [['Variable d’environnement non définie ou fichier de secret absent.', 'Environment variable not set or secret file missing.']],
    ['Définir la variable ou créer le fichier nommé ; le secret n’est jamais affiché.', 'Set the named variable or create the named file; the secret is never printed.']),
  entry('CONFIG-CERTIFICATE', ['Un certificat ou une clé ne peut pas être chargé.', 'A certificate or key cannot be loaded.'],
    [
      ['Mot de passe PKCS#12 erroné.', 'Wrong PKCS#12 password.'],
      ['Fichier qui n’est pas un PKCS#12 / PEM, ou clé qui ne correspond pas au certificat.', 'File that is not PKCS#12 / PEM, or key that does not match the certificate.'],
    ],
    ['Vérifier le fichier et le mot de passe (openssl pkcs12 -info -in fichier.p12).', 'Check the file and the password (openssl pkcs12 -info -in file.p12).']),
  entry('CONFIG-CATALOGUE', ['Le fichier de catalogue d’erreurs à fusionner est invalide (ligne et colonne nommées).', 'The error catalogue file to merge is invalid (row and column named).'],
    [['Colonne obligatoire absente, séparateur ou encodage inattendu.', 'Required column missing, unexpected separator or encoding.']],
    ['Suivre le format décrit dans docs/errors.md.', 'Follow the layout described in docs/errors.md.']),
];
