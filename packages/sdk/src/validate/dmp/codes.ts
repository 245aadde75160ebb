/**
 * Coded header elements that become DMP XDS metadata: typeCode (J66), classCode (ASS_X04 → J57),
 * confidentialityCode (J58), healthcareFacilityTypeCode (J61), practiceSettingCode (J62).
 * dmp-interface.md §5.2, §5.4, §10.2; terminology.md §4–5.
 *
 * Membership in a DMP value set whose copy is old (J61, J62, J66) is a warning; a code known to the
 * value set under another codeSystem is an error (DMP-CODE-SYSTEM): that is a mistake, not staleness.
 */
import { OIDS } from '../../cda/ids.js';
import type { Coded } from '../../cda/header.js';
import { classCodeForTypeCode, findConcept, isInValueSet, JDV, type ValueSetId } from '../../terminology/index.js';
import type { DmpRuleId } from '../rules/dmp-catalogue.js';
import type { DmpContext, DmpRule } from './context.js';

function usable(c: Coded | undefined): c is Coded & { code: string; codeSystem: string } {
  return !!c && !c.nullFlavor && !!c.code && !!c.codeSystem;
}

export function describeCoded(c: Coded | undefined): string {
  if (!c) return '(absent)';
  if (c.nullFlavor) return `nullFlavor="${c.nullFlavor}"`;
  return `code="${c.code ?? ''}" codeSystem="${c.codeSystem ?? ''}"`;
}

type Membership = 'in' | 'wrong-system' | 'out';

/**
 * Whether a code is in the DMP value set. When it is not, a code known (in the DMP set or its CI-SIS
 * counterpart) under another code system gives DMP-CODE-SYSTEM; otherwise `notInRule` is reported.
 */
function checkMembership(
  ctx: DmpContext,
  element: string,
  coded: Coded & { code: string; codeSystem: string },
  dmpSet: ValueSetId,
  cisisSet: ValueSetId | undefined,
  notInRule: DmpRuleId,
): Membership {
  if (isInValueSet(dmpSet, coded.code, coded.codeSystem)) return 'in';
  for (const vs of cisisSet ? [dmpSet, cisisSet] : [dmpSet]) {
    const known = findConcept(vs, coded.code);
    if (known && known.system !== coded.codeSystem) {
      ctx.report('DMP-CODE-SYSTEM', { element, code: coded.code, valueSet: vs, expected: known.system, found: coded.codeSystem }, coded);
      return 'wrong-system';
    }
  }
  ctx.report(notInRule, { code: coded.code, codeSystem: coded.codeSystem }, coded);
  return 'out';
}

/**
 * ClinicalDocument/code: present; known (J66 or J07, else an error); in J66 (else a warning: old copy);
 * classCode derivable through ASS_X04 (warning: proxy for ASS_X16) and in J57.
 */
export const checkTypeAndClassCode: DmpRule = (ctx) => {
  const code = ctx.header.code;
  if (!usable(code)) {
    ctx.report('DMP-TYPECODE-MISSING', {}, code);
    return;
  }
  const element = 'ClinicalDocument/code (typeCode)';
  // Not in J66 nor in the (current, larger) J07 at all: unknown for sure, an error; in J07 only: J66 copy may be stale.
  const known = isInValueSet(JDV.J66_TYPE_CODE_DMP, code.code, code.codeSystem) || isInValueSet(JDV.J07_TYPE_CODE, code.code, code.codeSystem);
  const unknownRule = known ? 'DMP-TYPECODE-J66' : 'DMP-TYPECODE-UNKNOWN';
  const membership = checkMembership(ctx, element, code, JDV.J66_TYPE_CODE_DMP, JDV.J07_TYPE_CODE, unknownRule);
  if (membership === 'wrong-system' || unknownRule === 'DMP-TYPECODE-UNKNOWN') return;
  const cls = classCodeForTypeCode(code.code, code.codeSystem);
  if (!cls) {
    ctx.report('DMP-CLASSCODE-X04', { code: code.code, codeSystem: code.codeSystem }, code);
    return;
  }
  if (!isInValueSet(JDV.J57_CLASS_CODE_DMP, cls.code, cls.system)) {
    ctx.report('DMP-CLASSCODE-J57', { classCode: cls.code, code: code.code }, code);
  }
};

const HL7_CONFIDENTIALITY = new Set(['N', 'R', 'V']);

/** confidentialityCode: N/R/V of HL7 Confidentiality (J58); R and V should not go to the DMP. */
export const checkConfidentiality: DmpRule = (ctx) => {
  const c = ctx.header.confidentialityCode;
  if (
    !usable(c) ||
    c.codeSystem !== OIDS.HL7_CONFIDENTIALITY ||
    !HL7_CONFIDENTIALITY.has(c.code) ||
    !isInValueSet(JDV.J58_CONFIDENTIALITY_DMP, c.code, c.codeSystem)
  ) {
    ctx.report('DMP-CONFIDENTIALITY-J58', { found: describeCoded(c) }, c);
    return;
  }
  if (c.code !== 'N') ctx.report('DMP-CONFIDENTIALITY-RV', { code: c.code }, c);
};

/** healthCareFacility/code: present, in J61 (warning: 2020 copy). */
export const checkFacilityType: DmpRule = (ctx) => {
  const enc = ctx.header.encompassingEncounter;
  const facility = enc?.healthCareFacility;
  const code = facility?.code;
  if (!usable(code)) {
    ctx.report('DMP-FACILITY-MISSING', {}, code ?? facility ?? enc);
    return;
  }
  checkMembership(
    ctx,
    'healthCareFacility/code (healthcareFacilityTypeCode)',
    code,
    JDV.J61_FACILITY_TYPE_DMP,
    JDV.J02_FACILITY_TYPE,
    'DMP-FACILITY-J61',
  );
};

/** The practiceSettingCode source: the first serviceEvent performer organisation with a standardIndustryClassCode. */
export const checkPracticeSetting: DmpRule = (ctx) => {
  const events = ctx.header.documentationOf;
  const psc = events
    .flatMap((se) => se.performers)
    .map((p) => p.assignedEntity?.organization?.standardIndustryClassCode)
    .find((c) => usable(c));
  if (!usable(psc)) {
    ctx.report('DMP-PRACTICE-MISSING', {}, events[0]);
    return;
  }
  checkMembership(
    ctx,
    'representedOrganization/standardIndustryClassCode (practiceSettingCode)',
    psc,
    JDV.J62_PRACTICE_SETTING_DMP,
    JDV.J04_PRACTICE_SETTING,
    'DMP-PRACTICE-J62',
  );
};

/** Shared with authors.ts: J01 membership of an author specialty. */
export function checkAuthorSpecialtyCode(ctx: DmpContext, index: number, coded: Coded & { code: string; codeSystem: string }): void {
  if (isInValueSet(JDV.J01_AUTHOR_SPECIALTY, coded.code, coded.codeSystem)) return;
  const known = findConcept(JDV.J01_AUTHOR_SPECIALTY, coded.code);
  if (known && known.system !== coded.codeSystem) {
    ctx.report(
      'DMP-CODE-SYSTEM',
      { element: `author[${index}]/assignedAuthor/code (authorSpecialty)`, code: coded.code, valueSet: JDV.J01_AUTHOR_SPECIALTY, expected: known.system, found: coded.codeSystem },
      coded,
    );
    return;
  }
  ctx.report('DMP-AUTHOR-SPECIALTY-J01', { index, code: coded.code, codeSystem: coded.codeSystem }, coded);
}

export { usable as isUsableCode };
