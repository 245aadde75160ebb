/** What each kind of operation needs from a profile, checked before any network traffic. */
import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import { text } from '../errors/types.js';
import type { DmpProfile } from './schema.js';

/**
 * auth: a TLS client certificate (any https endpoint of the DMP); signature: a signature certificate (VIHF,
 * lot XAdES); vihf: the structure, software and professional attributes of the VIHF (dmp-interface.md §2.1).
 */
export type ProfileNeed = 'auth' | 'signature' | 'vihf';

export function missingProfileFields(profile: DmpProfile, needs: readonly ProfileNeed[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const need = (field: string, present: unknown, why: string) => {
    if (present === undefined || present === '') issues.push({ field, message: `required ${why}` });
  };
  if (needs.includes('auth') && profile.endpoint.startsWith('https:')) need('auth', profile.auth, 'for mutual TLS with the DMP (the structure’s authentication certificate)');
  if (needs.includes('signature')) need('signature', profile.signature, 'to sign the VIHF and the lot (signature certificate)');
  if (needs.includes('vihf')) {
    const why = 'in the VIHF';
    need('structure.id', profile.structure?.id, `${why} (Identifiant_Structure)`);
    need('structure.secteurActivite', profile.structure?.secteurActivite, `${why} (Secteur_Activite)`);
    need('lps.name', profile.lps?.name, `${why} (LPS_Nom)`);
    need('lps.version', profile.lps?.version, `${why} (LPS_Version)`);
    need('lps.homologation', profile.lps?.homologation, `${why} (LPS_ID_HOMOLOGATION_DMP)`);
    need('professional.id', profile.professional?.id, `${why} (NameID)`);
    need('professional.profession', profile.professional?.profession, `${why} (role)`);
    need('professional.authMode', profile.professional?.authMode, `${why} (Authentification_Mode)`);
    if (profile.professional && profile.professional.authMode !== 'DIRECTE') {
      need('professional.name', profile.professional.name, `${why} in indirect modes (subject-id)`);
    }
  }
  return issues;
}

/** Throws ConfigError CONFIG-INCOMPLETE listing every missing field. */
export function requireProfile(profile: DmpProfile, needs: readonly ProfileNeed[]): void {
  const issues = missingProfileFields(profile, needs);
  if (issues.length) {
    throw new ConfigError({
      code: 'CONFIG-INCOMPLETE',
      message: text(`Profil « ${profile.name} » incomplet pour cette opération`, `Profile "${profile.name}" is incomplete for this operation`),
      issues,
    });
  }
}
