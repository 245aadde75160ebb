/**
 * recordTarget/patientRole: the first identifier must be the INS (dmp-interface.md §10.1, §5.1).
 * No finding ever prints the INS or any identity trait.
 */
import { INS_OIDS, isInsRoot } from '../../cda/ids.js';
import type { DmpContext, DmpRule } from './context.js';

/**
 * INS number: 13 characters (sex, year, month, department — 2A/2B for Corsica —, commune, order) and a
 * 2-digit key. Applies to NIR and NIA alike (the NIA has the NIR layout).
 */
export const INS_NUMBER_PATTERN = /^\d{5}(?:\d{2}|2[AB])\d{8}$/;

/**
 * Checks the control key of a 15-character INS (NIR/NIA): key = 97 − (first 13 digits mod 97), where
 * the Corsican departments 2A and 2B count as 19 and 18. Verified on the official DMP test INS
 * (e.g. 207058575627097, 279035121518989). Returns undefined when the number is not in INS format.
 */
export function insKeyIsValid(ins: string): boolean | undefined {
  if (!INS_NUMBER_PATTERN.test(ins)) return undefined;
  const dept = ins.slice(5, 7);
  const digits13 = ins.slice(0, 5) + (dept === '2A' ? '19' : dept === '2B' ? '18' : dept) + ins.slice(7, 13);
  // 13 digits < 2^53: exact in a double.
  const expected = 97 - (Number(digits13) % 97);
  return expected === Number(ins.slice(13, 15));
}

const TEST_KINDS: Record<string, { fr: string; en: string }> = {
  [INS_OIDS.NIR_TEST]: { fr: 'test', en: 'test' },
  [INS_OIDS.NIR_DEMO]: { fr: 'démonstration', en: 'demo' },
};

/** recordTarget/patientRole/id: present, INS first, INS number with its extension, format and key. */
export const checkPatientIns: DmpRule = (ctx: DmpContext) => {
  const rt = ctx.header.recordTargets[0];
  const ids = rt?.ids ?? [];
  const first = ids[0];
  if (!rt || !first) {
    ctx.report('DMP-PATIENT-MISSING', {}, rt);
    return;
  }
  if (!isInsRoot(first.root)) {
    const index = ids.findIndex((id) => isInsRoot(id.root));
    const root = first.root ?? (first.nullFlavor ? `nullFlavor ${first.nullFlavor}` : '(absent)');
    if (index < 0) ctx.report('DMP-INS-MISSING', { root }, first);
    else ctx.report('DMP-INS-FIRST', { position: index + 1, root }, ids[index]);
    return;
  }
  const number = first.extension;
  if (number === undefined || number === '' || first.nullFlavor) {
    ctx.report('DMP-INS-EXTENSION', { root: first.root }, first);
    return;
  }
  if (!INS_NUMBER_PATTERN.test(number)) {
    ctx.report('DMP-INS-FORMAT', { length: number.length }, first);
    return;
  }
  if (insKeyIsValid(number) === false) ctx.report('DMP-INS-KEY', {}, first);
  const kind = TEST_KINDS[first.root];
  if (kind) ctx.report('DMP-INS-TEST', { kind: kind.en, kindFr: kind.fr, root: first.root }, first);
};
