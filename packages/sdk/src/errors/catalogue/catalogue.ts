/**
 * An immutable set of catalogue entries with the lookups the diagnosis needs: exact code, alias, local name
 * (fault codes whose prefix varies), and text patterns (DMP errors that come as text only). A code that none of
 * these finds is unknown: nothing is guessed.
 */
import type { ErrorKind } from '../types.js';
import type { CatalogueEntry } from './entry.js';

export type MatchKind = 'code' | 'alias' | 'local-name' | 'text';

export interface CatalogueMatch {
  entry: CatalogueEntry;
  matchedBy: MatchKind;
}

const localName = (code: string): string => code.slice(code.lastIndexOf(':') + 1);

export class ErrorCatalogue {
  readonly #entries: CatalogueEntry[];
  readonly #byCode = new Map<string, CatalogueEntry>();
  readonly #byAlias = new Map<string, CatalogueEntry>();
  readonly #byLocalName = new Map<string, CatalogueEntry[]>();
  readonly #patterns: { re: RegExp; entry: CatalogueEntry }[] = [];

  constructor(entries: Iterable<CatalogueEntry>) {
    this.#entries = [...entries];
    for (const e of this.#entries) {
      if (this.#byCode.has(e.code)) throw new TypeError(`error catalogue: duplicate code "${e.code}"`);
      this.#byCode.set(e.code, e);
    }
    for (const e of this.#entries) {
      for (const alias of e.aliases ?? []) {
        const other = this.#byCode.get(alias) ?? this.#byAlias.get(alias);
        if (other && other !== e) throw new TypeError(`error catalogue: alias "${alias}" of "${e.code}" is already used by "${other.code}"`);
        this.#byAlias.set(alias, e);
      }
      const list = this.#byLocalName.get(localName(e.code)) ?? [];
      list.push(e);
      this.#byLocalName.set(localName(e.code), list);
      for (const p of e.textPatterns ?? []) this.#patterns.push({ re: new RegExp(p, 'iu'), entry: e });
    }
  }

  get size(): number {
    return this.#entries.length;
  }

  entries(): readonly CatalogueEntry[] {
    return this.#entries;
  }

  /** Exact code only. */
  get(code: string): CatalogueEntry | undefined {
    return this.#byCode.get(code);
  }

  /**
   * Exact code, then alias, then local name when exactly one entry has it (`S:Sender` is not `soap:Sender` by
   * prefix, but is by local name; `Sender` alone is ambiguous with nothing else so it matches too).
   */
  lookup(code: string): CatalogueMatch | undefined {
    const c = code.trim();
    if (!c) return undefined;
    const exact = this.#byCode.get(c);
    if (exact) return { entry: exact, matchedBy: 'code' };
    const alias = this.#byAlias.get(c);
    if (alias) return { entry: alias, matchedBy: 'alias' };
    const candidates = this.#byLocalName.get(localName(c));
    if (candidates?.length === 1) return { entry: candidates[0]!, matchedBy: 'local-name' };
    return undefined;
  }

  /** The first entry whose text pattern matches (entries in catalogue order). */
  matchText(value: string | undefined): CatalogueMatch | undefined {
    if (!value) return undefined;
    const normalized = value.normalize('NFC');
    for (const { re, entry } of this.#patterns) if (re.test(normalized)) return { entry, matchedBy: 'text' };
    return undefined;
  }

  countByKind(): Record<ErrorKind, number> {
    const out = { transport: 0, soap: 0, xds: 0, hl7v3: 0, dmp: 0, vihf: 0, config: 0 } satisfies Record<ErrorKind, number>;
    for (const e of this.#entries) out[e.kind]++;
    return out;
  }

  /**
   * A new catalogue with `entries` added. For a code already present, `override` (default) lets the new entry's
   * fields win while keeping the old causes and fix when the new entry has none (an official list usually gives a
   * label only), and lists both sources; `keep` leaves the existing entry untouched.
   */
  merge(entries: Iterable<CatalogueEntry>, mode: 'override' | 'keep' = 'override'): ErrorCatalogue {
    const merged = new Map(this.#entries.map((e) => [e.code, e]));
    for (const incoming of entries) {
      const current = merged.get(incoming.code);
      if (!current) merged.set(incoming.code, incoming);
      else if (mode === 'override') merged.set(incoming.code, mergeEntry(current, incoming));
    }
    return new ErrorCatalogue(merged.values());
  }
}

function mergeEntry(current: CatalogueEntry, incoming: CatalogueEntry): CatalogueEntry {
  const out: CatalogueEntry = {
    ...current,
    ...incoming,
    causes: incoming.causes.length ? incoming.causes : current.causes,
    fix: incoming.fix.fr || incoming.fix.en ? incoming.fix : current.fix,
    sources: [...incoming.sources, ...current.sources.filter((s) => !incoming.sources.some((i) => i.ref === s.ref))],
  };
  const aliases = [...new Set([...(current.aliases ?? []), ...(incoming.aliases ?? [])])];
  if (aliases.length) out.aliases = aliases;
  const patterns = [...new Set([...(current.textPatterns ?? []), ...(incoming.textPatterns ?? [])])];
  if (patterns.length) out.textPatterns = patterns;
  return out;
}
