/** Shapes of the generated terminology modules (see scripts/gen-terminology.mjs). */

/** One concept: code, code system (OID, or URI when the source gives no OID), display. */
export type ConceptTuple = readonly [code: string, system: string, display: string];

/** One typeCode → classCode row of a correspondence table (ASS_X04). */
export type MappingTuple = readonly [
  typeCode: string,
  typeSystem: string,
  classCode: string,
  classSystem: string,
  classDisplay: string,
];

export interface TerminologySource {
  /** File name in the shared terminology folder the module was generated from. */
  file: string;
  repo: string | null;
  path: string | null;
  commit: string | null;
}

interface TerminologyMeta {
  id: string;
  oid: string | null;
  url: string | null;
  version: string;
  date: string | null;
  description: string;
  source: TerminologySource;
  /** Caveats: ours first (staleness, unconfirmed OID), then the source file's own notes. */
  notes: readonly string[];
}

export interface ValueSetData extends TerminologyMeta {
  kind: 'ValueSet';
  /** The copy is known to be older than what the DMP uses today. */
  stale: boolean;
  concepts: readonly ConceptTuple[];
}

export interface ConceptMapData extends TerminologyMeta {
  kind: 'ConceptMap';
  /** JDV_J07 codes the table does not map. */
  unmappedJ07Codes: readonly string[];
  mappings: readonly MappingTuple[];
}
