/** Value-set documents of a rule pack, parsed once and shared by every schematron and document. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as slimdom from 'slimdom';
import { domOf } from '../xml/parse.js';
import { readXml } from '../xml/fast-parse.js';
import type { DocumentSource } from './functions.js';

export class PackDocuments implements DocumentSource {
  private readonly cache = new Map<string, slimdom.Document>();
  private readonly strings = new Map<string, readonly string[]>();
  private readonly records = new Map<string, readonly Readonly<Record<string, string>>[]>();

  /**
   * `allowed`: pack-relative path → existing (string) or known-missing (null), from the compiled schematrons.
   * `synthesize`: builders for documents the pack lacks but that can be rebuilt from its own content.
   */
  constructor(
    private readonly packRoot: string,
    private readonly allowed: ReadonlyMap<string, string | null>,
    private readonly synthesize: ReadonlyMap<string, (read: (rel: string) => slimdom.Document) => slimdom.Document> = new Map(),
  ) {}

  /**
   * The fast reader (same safety checks as parseXml) then a DOM: value sets are read once per process, and a
   * cold validation reads a dozen of them. Comments and processing instructions are not kept; no value-set
   * path of the pack looks at them, nor at positions (no finding points into a value set).
   */
  private read(rel: string): slimdom.Document {
    return domOf(readXml(fs.readFileSync(path.join(this.packRoot, rel)), { maxBytes: 64 * 1024 * 1024 }).root, { positions: false });
  }

  /** Lookup strings stored with a compiled schematron (CompiledSchematron.valueSetStrings). */
  addLookupStrings(table: Readonly<Record<string, readonly string[]>>): void {
    for (const [id, values] of Object.entries(table)) this.strings.set(id, values);
  }

  lookupStrings(id: string): readonly string[] | undefined {
    return this.strings.get(id);
  }

  /** Lookup records stored with a compiled schematron (CompiledSchematron.valueSetRecords). */
  addLookupRecords(table: Readonly<Record<string, readonly Readonly<Record<string, string>>[]>>): void {
    for (const [id, values] of Object.entries(table)) this.records.set(id, values);
  }

  lookupRecords(id: string): readonly Readonly<Record<string, string>>[] | undefined {
    return this.records.get(id);
  }

  /** The keys of the value sets parsed so far (a comparison with stored lookup strings parses none). */
  parsed(): string[] {
    return [...this.cache.keys()];
  }

  document(key: string): slimdom.Document {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const target = this.allowed.get(key);
    if (target === undefined) throw new Error(`FODC0002: ${key} was not declared by the compiled rule pack`);
    if (target === null) throw new Error(`FODC0002: value set ${key} is missing from the rule pack (known defect)`);
    const builder = this.synthesize.get(target);
    const doc = builder && !fs.existsSync(path.join(this.packRoot, target)) ? builder((rel) => this.read(rel)) : this.read(target);
    this.cache.set(key, doc);
    return doc;
  }
}
