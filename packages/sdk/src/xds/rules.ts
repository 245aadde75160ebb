/**
 * Rules of the XDS metadata checks run before sending to the DMP (checks.ts). Same conventions as the
 * DMP submission rules of the validator (validate/rules/dmp-catalogue.ts): stable ids prefixed `XDS-`,
 * never renumbered; French and English texts with `{name}` placeholders; texts never carry patient data
 * (no INS, no names: registry object ids, attribute names and codes only); a requirement resting on a
 * value-set copy known to be old is a warning and says so; `source` names the spec section.
 * Layer `dmp`: the findings are DMP submission findings and go through the same report formatters.
 */
import type { RuleDefinition } from '../validate/rules/catalogue.js';

const DI = 'dmp-interface.md';

export const XDS_RULES = [
  // --- presence -----------------------------------------------------------------------------------------
  { id: 'XDS-DE-REQUIRED', layer: 'dmp', severity: 'error', source: `ITI TF-3 §4.2.3.2; ${DI} §5.2 (R attributes)`,
    fr: "La fiche {id} n'a pas l'attribut obligatoire {attribute} : le DMP refuse le lot.",
    en: 'DocumentEntry {id} lacks the required attribute {attribute}: the DMP refuses the lot.' },
  { id: 'XDS-SS-REQUIRED', layer: 'dmp', severity: 'error', source: `ITI TF-3 §4.2.3.3; ${DI} §5.3`,
    fr: "Le lot (SubmissionSet {id}) n'a pas l'attribut obligatoire {attribute}.",
    en: 'SubmissionSet {id} lacks the required attribute {attribute}.' },
  { id: 'XDS-CODE-DISPLAY', layer: 'dmp', severity: 'warning', source: 'ITI TF-3 §4.2.3.1.7 (coded classifications carry a Name)',
    fr: "Le code {attribute} « {code} » de {id} n'a pas de libellé (displayName) : la classification XDS doit porter un Name.",
    en: 'Code {attribute} "{code}" of {id} has no display name: the XDS classification needs a Name.' },

  // --- identifiers ------------------------------------------------------------------------------------------
  { id: 'XDS-UNIQUEID-OID', layer: 'dmp', severity: 'error', source: `CI-SIS Structuration minimale p.20; ${DI} §5.1 (uniqueId = plain OID, no ^extension)`,
    fr: "Le uniqueId de la fiche {id} n'est pas un OID simple{detail} : le DMP n'accepte que des OID (chiffres séparés par des points, sans extension).",
    en: 'The uniqueId of DocumentEntry {id} is not a plain OID{detail}: the DMP only accepts OIDs (dot-separated numbers, no extension).' },
  { id: 'XDS-UNIQUEID-LENGTH', layer: 'dmp', severity: 'error', source: 'ITI TF-3 §4.2.3.2.26 (uniqueId at most 64 characters)',
    fr: 'Le uniqueId de {id} fait {length} caractères ; 64 au plus.',
    en: 'The uniqueId of {id} is {length} characters long; at most 64.' },
  { id: 'XDS-SS-OID', layer: 'dmp', severity: 'error', source: `${DI} §5.1 (SubmissionSet uniqueId and sourceId are OIDs)`,
    fr: "Le {attribute} du lot {id} n'est pas un OID.",
    en: 'The {attribute} of SubmissionSet {id} is not an OID.' },
  { id: 'XDS-PATIENTID-INS', layer: 'dmp', severity: 'error', source: `${DI} §5.1 (patientId = INS as CX ^^^&<INS OID>&ISO^NH)`,
    fr: "Le patientId de {id} n'est pas un INS au format CX attendu (matricule^^^&OID INS&ISO^NH, OID 1.2.250.1.213.1.4.8/.9/.10/.11) : {detail}.",
    en: 'The patientId of {id} is not an INS in the expected CX form (number^^^&INS OID&ISO^NH, OID 1.2.250.1.213.1.4.8/.9/.10/.11): {detail}.' },
  { id: 'XDS-PATIENTID-MISMATCH', layer: 'dmp', severity: 'error', source: `${DI} §5.1, §12 (patientId identical on the SubmissionSet, every entry and the VIHF resource-id)`,
    fr: "Le patient de {id} n'est pas celui {other} : un lot ne concerne qu'un patient, celui du VIHF.",
    en: 'The patient of {id} is not the one of {other}: a lot concerns one patient, the VIHF one.' },
  { id: 'XDS-PATIENTID-DIFFERS', layer: 'dmp', severity: 'warning', source: `${DI} §5.1 (patientId identical everywhere)`,
    fr: "Le patientId de {id} désigne le même patient que {other} mais n'est pas écrit à l'identique (composantes CX hors identifiant) : écrivez-le partout de la même façon.",
    en: 'The patientId of {id} designates the same patient as {other} but is not written identically (CX components besides the id): write it the same way everywhere.' },
  { id: 'XDS-VALUE-WHITESPACE', layer: 'dmp', severity: 'error', source: 'ITI TF-3 §4.2.3 (identifiers and codes are exact strings)',
    fr: "La valeur de {attribute} de {id} commence ou finit par un espace ou un saut de ligne : le registre la comparera telle quelle.",
    en: 'The value of {attribute} of {id} starts or ends with whitespace: the registry will compare it as is.' },

  // --- codes ------------------------------------------------------------------------------------------------
  { id: 'XDS-TYPECODE-UNKNOWN', layer: 'dmp', severity: 'error', source: `${DI} §5.2 (typeCode ∈ JDV_J66, restriction of JDV_J07)`,
    fr: "Le typeCode « {code} » ({codingScheme}) de {id} n'appartient ni au JDV_J66 (DMP) ni au JDV_J07 (CI-SIS).",
    en: 'The typeCode "{code}" ({codingScheme}) of {id} is in neither JDV_J66 (DMP) nor JDV_J07 (CI-SIS).' },
  { id: 'XDS-TYPECODE-J66', layer: 'dmp', severity: 'warning', source: `${DI} §5.2; terminology: JDV_J66 copy dated 2022 (older than J07)`,
    fr: "Le typeCode « {code} » de {id} est dans le JDV_J07 mais pas dans notre copie du JDV_J66 (DMP, datée de 2022) : vérifiez qu'il est accepté par le DMP.",
    en: 'The typeCode "{code}" of {id} is in JDV_J07 but not in our copy of JDV_J66 (DMP, dated 2022): check that the DMP accepts it.' },
  { id: 'XDS-CLASSCODE-J57', layer: 'dmp', severity: 'error', source: `${DI} §5.2 (classCode ∈ JDV_J57)`,
    fr: "Le classCode « {code} » ({codingScheme}) de {id} n'appartient pas au JDV_J57 (classes DMP).",
    en: 'The classCode "{code}" ({codingScheme}) of {id} is not in JDV_J57 (DMP classes).' },
  { id: 'XDS-CLASSCODE-X04', layer: 'dmp', severity: 'error', source: `${DI} §5.2, §12 (classCode derived from typeCode via ASS_X04/ASS_X16)`,
    fr: "Le classCode « {code} » de {id} ne correspond pas au typeCode « {typeCode} » : la table ASS_X04 donne la classe « {expected} ».",
    en: 'The classCode "{code}" of {id} does not match typeCode "{typeCode}": table ASS_X04 gives class "{expected}".' },
  { id: 'XDS-CLASSCODE-X04-UNMAPPED', layer: 'dmp', severity: 'warning', source: `${DI} §5.2; ASS_X04 (2023) used as a proxy for the DMP's ASS_X16`,
    fr: "Le typeCode « {typeCode} » de {id} n'a pas de classe dans notre copie de ASS_X04 : la cohérence du classCode « {code} » n'a pas pu être vérifiée.",
    en: 'TypeCode "{typeCode}" of {id} has no class in our copy of ASS_X04: the consistency of classCode "{code}" could not be checked.' },
  { id: 'XDS-CONFIDENTIALITY-N', layer: 'dmp', severity: 'error', source: `${DI} §5.4, §12 (N always present, plus 0..n TRE_A07 flags)`,
    fr: "Les confidentialityCode de {id} ne contiennent pas N (2.16.840.1.113883.5.25) : le DMP exige N, les masquages s'y ajoutent.",
    en: 'The confidentialityCodes of {id} do not include N (2.16.840.1.113883.5.25): the DMP requires N, visibility flags come in addition.' },
  { id: 'XDS-CONFIDENTIALITY-RV', layer: 'dmp', severity: 'error', source: `${DI} §5.4, §12 (no R/V to the DMP)`,
    fr: 'Le confidentialityCode « {code} » de {id} (Restreint/Très restreint) ne doit pas être envoyé au DMP.',
    en: 'ConfidentialityCode "{code}" of {id} (restricted/very restricted) must not be sent to the DMP.' },
  { id: 'XDS-CONFIDENTIALITY-J58', layer: 'dmp', severity: 'error', source: `${DI} §5.4 (JDV_J58)`,
    fr: "Le confidentialityCode « {code} » ({codingScheme}) de {id} n'appartient pas au JDV_J58.",
    en: 'ConfidentialityCode "{code}" ({codingScheme}) of {id} is not in JDV_J58.' },
  { id: 'XDS-FORMATCODE-J60', layer: 'dmp', severity: 'error', source: `${DI} §5.2 (formatCode ∈ JDV_J60)`,
    fr: "Le formatCode « {code} » ({codingScheme}) de {id} n'appartient pas au JDV_J60.",
    en: 'FormatCode "{code}" ({codingScheme}) of {id} is not in JDV_J60.' },
  { id: 'XDS-FACILITY-J61', layer: 'dmp', severity: 'warning', source: `${DI} §5.2 (JDV_J61; our copy is older than the DMP's)`,
    fr: "Le healthcareFacilityTypeCode « {code} » ({codingScheme}) de {id} n'est pas dans notre copie (ancienne) du JDV_J61.",
    en: 'HealthcareFacilityTypeCode "{code}" ({codingScheme}) of {id} is not in our (old) copy of JDV_J61.' },
  { id: 'XDS-PRACTICE-J62', layer: 'dmp', severity: 'warning', source: `${DI} §5.2 (JDV_J62; our copy is older than the DMP's)`,
    fr: "Le practiceSettingCode « {code} » ({codingScheme}) de {id} n'est pas dans notre copie (ancienne) du JDV_J62.",
    en: 'PracticeSettingCode "{code}" ({codingScheme}) of {id} is not in our (old) copy of JDV_J62.' },
  { id: 'XDS-CONTENTTYPE-J59', layer: 'dmp', severity: 'warning', source: `${DI} §5.3 (JDV_J59; our copy is older than the DMP's)`,
    fr: "Le contentTypeCode « {code} » ({codingScheme}) du lot {id} n'est pas dans notre copie (ancienne) du JDV_J59.",
    en: 'ContentTypeCode "{code}" ({codingScheme}) of SubmissionSet {id} is not in our (old) copy of JDV_J59.' },
  { id: 'XDS-CODE-SYSTEM', layer: 'dmp', severity: 'error', source: `${DI} §5.2 (codes are matched with their code system)`,
    fr: "Le code {attribute} « {code} » de {id} est connu du {valueSet} sous le système {expected}, pas {codingScheme}.",
    en: 'Code {attribute} "{code}" of {id} is known to {valueSet} under code system {expected}, not {codingScheme}.' },

  // --- values ------------------------------------------------------------------------------------------------
  { id: 'XDS-TIME-FORMAT', layer: 'dmp', severity: 'error', source: `ITI TF-3 §4.2.3.1.5 (DTM in UTC); ${DI} §5.2`,
    fr: "{attribute} de {id} n'est pas une date XDS UTC (AAAA[MM[JJ[hh[mm[ss]]]]]).",
    en: '{attribute} of {id} is not an XDS UTC date-time (YYYY[MM[DD[hh[mm[ss]]]]]).' },
  { id: 'XDS-LANGUAGE', layer: 'dmp', severity: 'warning', source: `${DI} §5.2 (languageCode fr-FR; art for the signature entry)`,
    fr: "Le languageCode de {id} est « {code} » ; le DMP attend fr-FR.",
    en: 'The languageCode of {id} is "{code}"; the DMP expects fr-FR.' },
  { id: 'XDS-HASH-MISMATCH', layer: 'dmp', severity: 'error', source: `ITI TF-3 §4.2.3.2.10/.19; ${DI} §12 (hash/size of the attached bytes)`,
    fr: "Le {attribute} de {id} ne correspond pas au document joint : recalculez-le sur les octets exacts déposés.",
    en: 'The {attribute} of {id} does not match the attached document: compute it on the exact bytes deposited.' },

  // --- lot structure ------------------------------------------------------------------------------------------
  { id: 'XDS-HASMEMBER-MISSING', layer: 'dmp', severity: 'error', source: 'ITI TF-3 §4.1.4 (every submitted entry is a member of the SubmissionSet)',
    fr: "La fiche {id} n'est reliée au lot par aucune association HasMember.",
    en: 'DocumentEntry {id} is linked to the SubmissionSet by no HasMember association.' },
  { id: 'XDS-LOT-SIGNATURE', layer: 'dmp', severity: 'warning', source: `${DI} §5.5, §12 (every ITI-41 lot carries a XAdES signature entry signing the SubmissionSet)`,
    fr: "Le lot {id} n'a pas d'entrée de signature reliée par une association signs : le DMP refuse un lot non signé (ajoutez la signature XAdES avant l'envoi).",
    en: 'SubmissionSet {id} has no signature entry linked by a signs association: the DMP refuses an unsigned lot (add the XAdES signature before sending).' },
  { id: 'XDS-RPLC-TARGET', layer: 'dmp', severity: 'error', source: `${DI} §6 (RPLC targets the entryUUID of the replaced entry)`,
    fr: "L'association de remplacement {id} vise « {target} », qui n'est pas un entryUUID (urn:uuid:…) : recherchez d'abord l'entryUUID du document remplacé par son uniqueId.",
    en: 'Replacement association {id} targets "{target}", which is not an entryUUID (urn:uuid:…): first look up the replaced entry\'s entryUUID by its uniqueId.' },
] as const satisfies readonly RuleDefinition[];

export type XdsRuleId = (typeof XDS_RULES)[number]['id'];

const byId = new Map<string, RuleDefinition>(XDS_RULES.map((r) => [r.id, r]));

export function xdsRule(id: XdsRuleId): RuleDefinition {
  return byId.get(id)!;
}

/**
 * The XDS error code a registry answers for each metadata rule (ITI TF-3 §4.2.4 table 4.2.4.1-2, and the DMP's
 * errors of dmp-interface.md §8), in one table: the simulator refuses with it, `dmp explain` reads it back.
 * `refusedByDmp` marks rules that are warnings before sending but refusals at the DMP (a lot without signature).
 */
export const XDS_RULE_ERROR_CODES: Readonly<Record<XdsRuleId, { errorCode: string; refusedByDmp?: true }>> = {
  'XDS-DE-REQUIRED': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-SS-REQUIRED': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-CODE-DISPLAY': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-UNIQUEID-OID': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-UNIQUEID-LENGTH': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-SS-OID': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-PATIENTID-INS': { errorCode: 'XDSUnknownPatientId' },
  'XDS-PATIENTID-MISMATCH': { errorCode: 'XDSPatientIdDoesNotMatch' },
  'XDS-PATIENTID-DIFFERS': { errorCode: 'XDSPatientIdDoesNotMatch' },
  'XDS-VALUE-WHITESPACE': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-TYPECODE-UNKNOWN': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-TYPECODE-J66': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-CLASSCODE-J57': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-CLASSCODE-X04': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-CLASSCODE-X04-UNMAPPED': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-CONFIDENTIALITY-N': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-CONFIDENTIALITY-RV': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-CONFIDENTIALITY-J58': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-FORMATCODE-J60': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-FACILITY-J61': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-PRACTICE-J62': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-CONTENTTYPE-J59': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-CODE-SYSTEM': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-TIME-FORMAT': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-LANGUAGE': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-HASH-MISMATCH': { errorCode: 'XDSNonIdenticalHash' },
  'XDS-HASMEMBER-MISSING': { errorCode: 'XDSRegistryMetadataError' },
  'XDS-LOT-SIGNATURE': { errorCode: 'XDSRegistryMetadataError', refusedByDmp: true },
  'XDS-RPLC-TARGET': { errorCode: 'XDSReplaceFailed' },
};
