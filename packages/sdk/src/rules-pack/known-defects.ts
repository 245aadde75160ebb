/**
 * Known defects of the ANS TestContenuCDA 3.0 rule pack (ansforge/TestContenuCDA-3-0 @ 7cd489b, 2025-02-19),
 * as recorded by the reference oracle run (corpus MANIFEST `ruleset.known_issues`). These are facts about
 * that published tree: files its schematrons reference but that the tree does not contain. The reference
 * ISO skeleton silently drops such includes; we tolerate exactly these, say so in every report, and fail
 * loudly on any other unresolved reference. Case-only mismatches need no entry: the resolver handles them.
 */

/** Included .sch files absent from the pack (pack-relative). */
export const KNOWN_MISSING_INCLUDES: readonly string[] = [
  "schematrons/include/specificationsVolets/BIO-CR-BIO_2023.01/Entete/Entete_CR-BIO.sch",
  "schematrons/include/specificationsVolets/BIO-CR-BIO_2023.01/Sections/S_FR-Resultats-de-laboratoire-de-biologie-de-seconde-intention.sch",
  "schematrons/include/specificationsVolets/BIO-CR-BIO_2023.01/Entrees/E_FR-Resultats-examens-de-biologie-medicale.sch",
  "schematrons/include/specificationsVolets/BIO-CR-BIO_2023.01/Entrees/E_FR-Batterie-examens-de-biologie-medicale.sch",
  "schematrons/include/specificationsVolets/BIO-CR-BIO_2023.01/Entrees/E_FR-Isolat-microbiologique.sch",
  "schematrons/include/specificationsVolets/BIO-CR-BIO_2023.01/Entrees/E_FR-Laboratoire-executant.sch",
  "schematrons/include/specificationsVolets/BIO-CR-BIO_2023.01/Entrees/E_FR-Prelevement.sch",
  "schematrons/include/specificationsVolets/BIO-CR-BIO_2023.01/Entrees/E_FR-Resultat-examens-de-biologie-element-clinique-pertinent.sch",
  "schematrons/include/jeuxDeValeurs/BIO-CR-BIO_2023.01/JDV_HL7_ObservationInterpretation-CISIS.sch",
  "schematrons/include/specificationsVolets/CANCER-D2LM-FIDD_2021.01/Entrees/E_ListeDesProblemesActifs-D2LM-FIDD.sch",
  "schematrons/include/specificationsVolets/CANCER-D2LM-FIDD_2021.01/Entrees/E_Acte_D2LM_FIDD.sch",
  "schematrons/include/specificationsVolets/CANCER-D2LM-FIN_2022.01/Sections/S_Identification_D2LM-FIN.sch",
  "schematrons/include/specificationsVolets/CANCER-D2LM-FIN_2022.01/Sections/S_antecedents_D2LM-FIN.sch",
  "schematrons/include/specificationsVolets/CARD-F-PRC-TAP_2022.01/entrees/E_AllergiesAndHypersensibilites_CARD-F-PRC-TAP.sch",
  "schematrons/include/specificationsVolets/CARD-F-PRC-TAP_2022.01/entrees/E_DM_CARD-F-PRC-TAP.sch",
  "schematrons/include/jeuxDeValeurs/CNAM-HR_2022.01/JDV_BDM_CNAM-HR-CISIS.sch",
  "schematrons/include/jeuxDeValeurs/CNAM-HR_2022.01/JDV_BDM_CA_CNAM-HR-CISIS.sch",
  "schematrons/include/jeuxDeValeurs/CNAM-HR_2022.01/JDV_BDM_ATC_CNAM-HR-CISIS.sch",
  "schematrons/include/jeuxDeValeurs/CNAM-HR_2022.01/JDV_LPP_CNAM-HR-CISIS.sch",
  "schematrons/include/jeuxDeValeurs/CNAM-HR_2022.01/JDV_sejours_actes_CNAM-HR-CISIS.sch",
  "schematrons/include/jeuxDeValeurs/CNAM-HR_2022.01/JDV_sejours_acte_CNAM-HR-CISIS.sch",
  "schematrons/include/specificationsVolets/CNAM-HR_2021.01/Sections/S_CommentaireNonCodee-CISIS.sch",
  "schematrons/include/specificationsVolets/CNAM-HR_2021.01/Sections/S_DispositifsMedicaux-CISIS.sch",
  "schematrons/include/specificationsVolets/CNAM-HR_2021.01/Sections/S_HistoriquePriseEnChargeMedicale.sch",
  "schematrons/include/specificationsVolets/CNAM-HR_2021.01/Sections/S_Traitements-CISIS.sch",
  "schematrons/include/specificationsVolets/CNAM-HR_2021.01/Sections/S_Vaccinations-CISIS.sch",
  "schematrons/include/jeuxDeValeurs/CSE-CS8_2022.01/JDV_SocialHistoryCodes-CISIS.sch",
  "schematrons/include/jeuxDeValeurs/EP-MED-DM_2023.01/JDV_SeverityObservation.sch",
  "schematrons/include/jeuxDeValeurs/OBP-SNM_2023.01/JDV_EtatPerinee_OBP-SNM.sch",
];

/**
 * Value-set files read with document() but absent from the pack (pack-relative). The last entry was found
 * by dmpkit's compiler, not by the oracle run: BIO-TROD 2024.01 names a value set without its `.xml`.
 */
export const KNOWN_MISSING_VALUE_SETS: readonly string[] = [
  "jeuxDeValeurs/JDV_BilanDiagnostic_CISIS.xml",
  "jeuxDeValeurs/JDV_ClinicalStatusCodes_CISIS.xml",
  "jeuxDeValeurs/JDV_HL7_SeverityObservation-CISIS.xml",
  "jeuxDeValeurs/JDV_OBP_GesteReanimationNN_CISIS.xml",
  "jeuxDeValeurs/JDV_OBP_LesionTraumatiqueObstetricale_CISIS.xml",
  "jeuxDeValeurs/JDV_ResultatDepistageHematurie_CISIS",
];

/**
 * The StrucMin typeCode value set that the pack references but does not ship; without it every document
 * fails with FODC0002 in the reference. dmpkit builds it from the pack's own JDV_J07 (same OID), as the
 * oracle did (see rules-pack/synthesize.ts).
 */
export const STRUCMIN_TYPECODE_VOC = 'schematrons/profils/structurationMinimale/include/voc-1.2.250.1.213.1.1.5.471-DYNAMIC.xml';
export const STRUCMIN_TYPECODE_SOURCE = 'jeuxDeValeurs/JDV_J07_XdsTypeCode_CISIS.xml';
