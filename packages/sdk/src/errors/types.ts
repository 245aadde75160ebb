/** Vocabulary shared by the typed errors, the catalogue and the diagnosis. */

/** Where an error comes from: the layer that detected it. */
export type ErrorKind = 'transport' | 'soap' | 'xds' | 'hl7v3' | 'dmp' | 'vihf' | 'config';

export const ERROR_KINDS: readonly ErrorKind[] = ['transport', 'soap', 'xds', 'hl7v3', 'dmp', 'vihf', 'config'];

/** Every human text exists in French (the DMP's language, support staff) and English. */
export interface LocalizedText {
  fr: string;
  en: string;
}

export type Lang = keyof LocalizedText;

/**
 * How sure we are of a catalogue fact, with the tags of the research notes (dmp-interface.md):
 * OFF official spec or ANS/CNAM material, EX official example messages, 3P third-party code or notes,
 * DRAFT draft spec, ? uncertain, dmpkit a condition dmpkit itself detects and names.
 */
export type Confidence = 'OFF' | 'EX' | '3P' | 'DRAFT' | '?' | 'dmpkit';

export const CONFIDENCES: readonly Confidence[] = ['OFF', 'EX', '3P', 'DRAFT', '?', 'dmpkit'];

export interface SourceRef {
  /** Spec section, document or observation (`IHE ITI TF-3 Table 4.2.4.1-2`, `dmp-interface.md §8`). */
  ref: string;
  confidence: Confidence;
}

export const text = (fr: string, en: string): LocalizedText => ({ fr, en });
