/** HL7 v2 composite strings used in XDS metadata slots (CX, XCN, XON), with v2 escaping of reserved characters. */
import type { II } from './header.js';
import { isInsRoot, OIDS } from './ids.js';

/** Escapes the HL7 v2 delimiters `| ^ & ~ \` so that names cannot break the composite. */
export function escapeHl7v2(value: string): string {
  return value.replace(/[\\|^&~]/g, (c) => ({ '\\': '\\E\\', '|': '\\F\\', '^': '\\S\\', '&': '\\T\\', '~': '\\R\\' })[c]!);
}

/** CX with an ISO assigning authority: `id^^^&root&ISO^type`. */
export function formatCx(id: string, authorityOid: string, identifierType: string): string {
  return `${escapeHl7v2(id)}^^^&${authorityOid}&ISO^${identifierType}`;
}

export interface XcnParts {
  id: II;
  family?: string;
  given?: string;
  /** XCN10: name type (D for persons, U for systems, per the DMP examples). */
  nameType: string;
}

/**
 * XCN: `id^family^given^^^^^^&root&ISO^nameType^^^idType`. XCN13 (identifier type) follows the
 * authority: IDNPS for PS_IdNat, NH for an INS, RI for any other (system) identifier.
 */
export function formatXcn({ id, family, given, nameType }: XcnParts): string {
  const idType = id.root === OIDS.PS_IDNAT ? 'IDNPS' : isInsRoot(id.root) ? 'NH' : 'RI';
  const value = id.extension ?? id.root ?? '';
  const authority = id.extension !== undefined && id.root ? `&${id.root}&ISO` : '';
  return [escapeHl7v2(value), escapeHl7v2(family ?? ''), escapeHl7v2(given ?? ''), '', '', '', '', '', authority, nameType, '', '', idType].join('^');
}

/** XON: `name^^^^^&root&ISO^type^^^id` (type IDNST for Struct_IdNat); the bare name when there is no id. */
export function formatXon(name: string | undefined, id: II | undefined): string {
  const n = escapeHl7v2(name ?? '');
  if (!id?.root) return n;
  const type = id.root === OIDS.STRUCT_IDNAT ? 'IDNST' : '';
  const base = `${n}^^^^^&${id.root}&ISO^${type}`;
  return id.extension ? `${base}^^^${escapeHl7v2(id.extension)}` : base;
}

/** A coded value as the French slots write it (authorSpecialty, authorRole): `code^display^system`. */
export function formatCodedSlot(code: string, display: string | undefined, system: string | undefined): string {
  return `${escapeHl7v2(code)}^${escapeHl7v2(display ?? '')}^${escapeHl7v2(system ?? '')}`;
}
