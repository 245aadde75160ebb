/**
 * Typed lookups over the generated value sets (JDV) and the typeCode → classCode table (ASS_X04).
 * Data: src/terminology/generated/, produced by scripts/gen-terminology.mjs from the ANS copies.
 */
import { CONCEPT_MAPS, VALUE_SETS } from './generated/index.js';
import type { ConceptMapData, ValueSetData } from './types.js';

export type { ConceptMapData, ConceptTuple, MappingTuple, TerminologySource, ValueSetData } from './types.js';

export type ValueSetId = keyof typeof VALUE_SETS;

/** Short names for the value-set ids used across the SDK. */
export const JDV = {
  J01_AUTHOR_SPECIALTY: 'JDV_J01-XdsAuthorSpecialty-CISIS',
  J02_FACILITY_TYPE: 'JDV_J02-XdsHealthcareFacilityTypeCode-CISIS',
  J04_PRACTICE_SETTING: 'JDV_J04-XdsPracticeSettingCode-CISIS',
  J06_CLASS_CODE: 'JDV_J06-XdsClassCode-CISIS',
  J07_TYPE_CODE: 'JDV_J07-XdsTypeCode-CISIS',
  J08_CONFIDENTIALITY: 'JDV_J08-XdsConfidentialityCode-CISIS',
  J10_FORMAT_CODE: 'JDV_J10-XdsFormatCode-CISIS',
  J47_FUNCTION_CODE: 'JDV_J47-FunctionCode-CISIS',
  J52_AVAILABILITY_STATUS: 'JDV_J52-AvailabilityStatus-CISIS',
  J57_CLASS_CODE_DMP: 'JDV_J57-ClassCode-DMP',
  J58_CONFIDENTIALITY_DMP: 'JDV_J58-ConfidentialityCode-DMP',
  J59_CONTENT_TYPE_DMP: 'JDV_J59-ContentTypeCode-DMP',
  J60_FORMAT_CODE_DMP: 'JDV_J60-FormatCode-DMP',
  J61_FACILITY_TYPE_DMP: 'JDV_J61-HealthcareFacilityTypeCode-DMP',
  J62_PRACTICE_SETTING_DMP: 'JDV_J62-PracticeSettingCode-DMP',
  J65_SUBJECT_ROLE_DMP: 'JDV_J65-SubjectRole-DMP',
  J66_TYPE_CODE_DMP: 'JDV_J66-TypeCode-DMP',
  J231_REFERENCE_ID_TYPE_DMP: 'JDV_J231-XdsTypesIdentifiantsReferenceId-DMP',
} as const satisfies Record<string, ValueSetId>;

export interface Concept {
  code: string;
  system: string;
  display: string;
}

export interface ClassCodeMapping {
  code: string;
  system: string;
  display: string;
  /** The table that gave the mapping (id + version), for messages and reports. */
  table: { id: string; version: string };
}

export function valueSetIds(): ValueSetId[] {
  return Object.keys(VALUE_SETS) as ValueSetId[];
}

/** The value set with its OID, version, source and caveats. Throws on an unknown id (a programming error). */
export function valueSet(id: ValueSetId): ValueSetData {
  const vs = (VALUE_SETS as Record<string, ValueSetData>)[id];
  if (!vs) throw new Error(`unknown value set "${id}"`);
  return vs;
}

const key = (code: string, system: string): string => `${system}|${code}`;
const byKey = new Map<string, Map<string, Concept>>();
const byCode = new Map<string, Map<string, Concept[]>>();

function index(id: ValueSetId): { byKey: Map<string, Concept>; byCode: Map<string, Concept[]> } {
  let k = byKey.get(id);
  let c = byCode.get(id);
  if (!k || !c) {
    k = new Map();
    c = new Map();
    for (const [code, system, display] of valueSet(id).concepts) {
      const concept = { code, system, display };
      k.set(key(code, system), concept);
      const list = c.get(code) ?? [];
      list.push(concept);
      c.set(code, list);
    }
    byKey.set(id, k);
    byCode.set(id, c);
  }
  return { byKey: k, byCode: c };
}

/**
 * The concept of a value set. With `system` the match is exact (code + code system); without it,
 * the code alone is matched and the first concept carrying it is returned.
 */
export function findConcept(id: ValueSetId, code: string, system?: string): Concept | undefined {
  const ix = index(id);
  if (system !== undefined) return ix.byKey.get(key(code, system));
  return ix.byCode.get(code)?.[0];
}

/** Whether code (and system, when given) belongs to the value set. */
export function isInValueSet(id: ValueSetId, code: string, system?: string): boolean {
  return findConcept(id, code, system) !== undefined;
}

/** The official display name of a code in a value set. */
export function displayOf(id: ValueSetId, code: string, system?: string): string | undefined {
  return findConcept(id, code, system)?.display;
}

export const TYPE_CLASS_TABLE_ID = 'ASS_X04-CorrespondanceType-Classe-CISIS';

/** The typeCode → classCode table in use (ASS_X04, as a proxy for the DMP's ASS_X16), with its caveats. */
export function typeClassTable(): ConceptMapData {
  return CONCEPT_MAPS[TYPE_CLASS_TABLE_ID];
}

let classIndex: Map<string, ClassCodeMapping> | undefined;

/** The classCode implied by a typeCode (code + code system) through ASS_X04, or undefined when unmapped. */
export function classCodeForTypeCode(code: string, system: string): ClassCodeMapping | undefined {
  if (!classIndex) {
    const table = typeClassTable();
    classIndex = new Map();
    for (const [tCode, tSystem, cCode, cSystem, cDisplay] of table.mappings) {
      classIndex.set(key(tCode, tSystem), {
        code: cCode,
        system: cSystem,
        display: cDisplay,
        table: { id: table.id, version: table.version },
      });
    }
  }
  return classIndex.get(key(code, system));
}
