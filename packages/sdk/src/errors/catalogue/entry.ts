/** The shape of a catalogue entry, and its zod schema (for entries loaded from files or registered by modules). */
import { z } from 'zod';
import { CONFIDENCES, ERROR_KINDS, type ErrorKind, type LocalizedText, type SourceRef } from '../types.js';

export type CatalogueSeverity = 'error' | 'warning' | 'info';

/**
 * wire: the code appears as such in DMP/IHE messages; text: the DMP sends only a text, recognised by
 * `textPatterns`, and the code is a dmpkit name for it; dmpkit: a condition dmpkit detects (transport, config).
 */
export type CatalogueOrigin = 'wire' | 'text' | 'dmpkit';

export interface CatalogueEntry {
  code: string;
  kind: ErrorKind;
  severity: CatalogueSeverity;
  origin: CatalogueOrigin;
  meaning: LocalizedText;
  /** Probable causes, most likely first. */
  causes: LocalizedText[];
  fix: LocalizedText;
  sources: SourceRef[];
  /** Other spellings of the code that map to this entry. */
  aliases?: string[];
  /** Case-insensitive regular expressions (source text) recognising the entry in a fault reason, ack text or codeContext. */
  textPatterns?: string[];
  /** IHE / DMP transactions where the code occurs (`ITI-41`, `TD0.2`). */
  transactions?: string[];
  /** Trying again later may succeed (busy, out of resources, unavailable). */
  retryable?: boolean;
  /** Still recognised, no longer in the current specification. */
  deprecated?: boolean;
}

const localized = z.object({ fr: z.string().min(1), en: z.string().min(1) });

export const catalogueEntrySchema = z
  .object({
    code: z.string().trim().min(1, 'code is empty').max(200),
    kind: z.enum(ERROR_KINDS as [ErrorKind, ...ErrorKind[]]),
    severity: z.enum(['error', 'warning', 'info']),
    origin: z.enum(['wire', 'text', 'dmpkit']),
    meaning: localized,
    causes: z.array(localized),
    fix: localized,
    sources: z.array(z.object({ ref: z.string().min(1), confidence: z.enum(CONFIDENCES as [SourceRef['confidence'], ...SourceRef['confidence'][]]) })).min(1, 'at least one source'),
    aliases: z.array(z.string().min(1)).optional(),
    textPatterns: z
      .array(
        z.string().refine((p) => {
          try {
            new RegExp(p, 'iu');
            return true;
          } catch {
            return false;
          }
        }, 'not a valid regular expression'),
      )
      .optional(),
    transactions: z.array(z.string().min(1)).optional(),
    retryable: z.boolean().optional(),
    deprecated: z.boolean().optional(),
  })
  .strict();

/** Validates an entry; throws a TypeError naming the entry and the field. */
export function validateEntry(value: unknown, where: string): CatalogueEntry {
  const parsed = catalogueEntrySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new TypeError(`${where}: ${issue.path.join('.') || '(entry)'}: ${issue.message}`);
  }
  return parsed.data as CatalogueEntry;
}
