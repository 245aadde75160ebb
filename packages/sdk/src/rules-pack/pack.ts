/**
 * An ANS rule pack: a TestContenuCDA tree the user points us at (the ANS material has no licence, so
 * dmpkit does not ship it). Opening a pack hashes its content; compiled schematrons are cached on disk
 * under that hash, so editing any file of the pack invalidates the cache by itself.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as slimdom from 'slimdom';
import type { PackInfo } from '../validate/finding.js';
import { compileSchematron, type KnownDefects } from '../schematron/compile.js';
import { annotateContexts, annotateJavaScript, annotateValueSets } from '../schematron/jit.js';
import type { CompiledSchematron } from '../schematron/model.js';
import { SchematronEvaluator } from '../schematron/evaluate.js';
import { PackDocuments } from '../schematron/documents.js';
import {
  KNOWN_MISSING_INCLUDES,
  KNOWN_MISSING_VALUE_SETS,
  STRUCMIN_TYPECODE_SOURCE,
  STRUCMIN_TYPECODE_VOC,
} from './known-defects.js';
import { artDecorVocFromSvs } from './synthesize.js';
import { decodeCompiled, encodeCompiled } from './cache-format.js';

/** Bump when the compiled form or the compiler's semantics change: old cache entries are then ignored. */
export const SCHEMATRON_COMPILER_VERSION = 21;

/** The four generic layers every document goes through (corpus.md §2.1). */
export const GENERIC_SCHEMATRONS = [
  'schematrons/profils/IHE.sch',
  'schematrons/profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch',
  'schematrons/profils/CI-SIS_ModelesDeContenusCDA.sch',
  'schematrons/profils/CI-SIS_Modeles_ANS.sch',
] as const;

export const PACK_XSD = 'infrastructure/cda/CDA_extended.xsd';

export class RulePackError extends Error {
  override readonly name = 'RulePackError';
}

export interface OpenPackOptions {
  /** Where compiled schematrons are cached (default: $DMPKIT_CACHE_DIR, $XDG_CACHE_HOME/dmpkit or ~/.cache/dmpkit). */
  cacheDir?: string;
  /** The pack's commit when the tree is not a git checkout (e.g. an extracted archive). */
  commit?: string;
  /**
   * `fast` (default): indexed dispatch, rewritten tests, tests compiled to JavaScript. `reference`: every test as
   * ANS wrote it, one XPath evaluation per context and per check — slow, the yardstick the fast engine is held to.
   */
  engine?: SchematronEngine;
}

export type SchematronEngine = 'fast' | 'reference';
export const SCHEMATRON_ENGINES: readonly SchematronEngine[] = ['fast', 'reference'];

export function defaultCacheDir(): string {
  if (process.env['DMPKIT_CACHE_DIR']) return process.env['DMPKIT_CACHE_DIR'];
  const base = process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(base, 'dmpkit');
}

const DEFECTS: KnownDefects = {
  missingIncludes: new Set(KNOWN_MISSING_INCLUDES),
  missingDocuments: new Set(KNOWN_MISSING_VALUE_SETS),
  synthesizedDocuments: new Set([STRUCMIN_TYPECODE_VOC]),
};

const SYNTHESIZERS = new Map<string, (read: (rel: string) => slimdom.Document) => slimdom.Document>([
  [STRUCMIN_TYPECODE_VOC, (read) => artDecorVocFromSvs(read(STRUCMIN_TYPECODE_SOURCE), '1.2.250.1.213.1.1.5.471', 'JDV_J07-XdsTypeCode-CISIS')],
]);

export class RulePack {
  private readonly evaluators = new Map<string, SchematronEvaluator>();
  private readonly documentPaths = new Map<string, string | null>();
  private readonly documents: PackDocuments;
  private readonly notes = new Set<string>();

  private constructor(
    readonly root: string,
    readonly info: PackInfo,
    readonly cacheDir: string,
    /** File names of the volet schematrons present in the pack. */
    readonly volets: ReadonlySet<string>,
    readonly engine: SchematronEngine = 'fast',
  ) {
    this.documents = new PackDocuments(root, this.documentPaths, SYNTHESIZERS);
  }

  static open(root: string, options: OpenPackOptions = {}): RulePack {
    const abs = path.resolve(root);
    for (const required of ['schematrons', 'jeuxDeValeurs', PACK_XSD, ...GENERIC_SCHEMATRONS]) {
      if (!fs.existsSync(path.join(abs, required))) {
        throw new RulePackError(
          `${abs} is not a TestContenuCDA rule pack: ${required} is missing (expected the ANS tree with schematrons/, jeuxDeValeurs/ and infrastructure/cda/)`,
        );
      }
    }
    const volets = new Set(fs.readdirSync(path.join(abs, 'schematrons')).filter((f) => /^CI-SIS_.+\.sch$/.test(f)));
    const commit = options.commit ?? gitCommit(abs);
    const engine = options.engine ?? 'fast';
    const cacheDir = options.cacheDir ?? defaultCacheDir();
    const info: PackInfo = { root: abs, contentHash: cachedContentHash(abs, cacheDir), ...(commit ? { commit } : {}), notes: [], ...(engine === 'reference' ? { engine } : {}) };
    return new RulePack(abs, info, cacheDir, volets, engine);
  }

  /** The pack's value-set documents (`dmpkit:doc`), for those a schematron's {@link evaluator} has declared. */
  get documentSource(): PackDocuments {
    return this.documents;
  }

  /** The evaluator of one schematron (pack-relative path), compiled or read from the cache. */
  evaluator(schematron: string): SchematronEvaluator {
    let e = this.evaluators.get(schematron);
    if (e) return e;
    const compiled = this.compiled(schematron).compiled;
    for (const [k, v] of Object.entries(compiled.documents)) this.documentPaths.set(k, v);
    if (compiled.valueSetStrings) this.documents.addLookupStrings(compiled.valueSetStrings);
    if (compiled.valueSetRecords) this.documents.addLookupRecords(compiled.valueSetRecords);
    for (const n of compiled.notes) this.notes.add(n);
    this.info.notes = [...this.notes];
    e = new SchematronEvaluator(compiled, this.documents, { reference: this.engine === 'reference' });
    this.evaluators.set(schematron, e);
    return e;
  }

  /** Compiles (or loads from the cache) one schematron. Throws SchematronCompileError on a broken pack. */
  compiled(schematron: string): { compiled: CompiledSchematron; fromCache: boolean } {
    const cacheFile = path.join(
      this.cacheDir,
      'packs',
      `${this.info.contentHash.slice(0, 16)}-v${SCHEMATRON_COMPILER_VERSION}${this.engine === 'reference' ? '-reference' : ''}`,
      schematron.replace(/[\\/]/g, '__') + '.json',
    );
    try {
      const cached = decodeCompiled(fs.readFileSync(cacheFile));
      if (cached.file === schematron) return { compiled: cached, fromCache: true };
    } catch {
      // not cached yet (or unreadable): compile
    }
    const reference = this.engine === 'reference';
    const compiled = compileSchematron(path.join(this.root, schematron), { packRoot: this.root, defects: DEFECTS, optimize: !reference });
    annotateContexts(compiled);
    if (!reference) {
      annotateJavaScript(compiled);
      for (const [k, v] of Object.entries(compiled.documents)) this.documentPaths.set(k, v);
      annotateValueSets(compiled, this.documents);
    }
    try {
      fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, encodeCompiled(compiled));
      fs.renameSync(tmp, cacheFile); // atomic: parallel workers never read half a file
    } catch {
      // a read-only cache only costs speed
    }
    return { compiled, fromCache: false };
  }

  /** Every schematron of the pack: the generic layers and all volets. */
  allSchematrons(): string[] {
    return [...GENERIC_SCHEMATRONS, ...[...this.volets].sort().map((v) => `schematrons/${v}`)];
  }

  get xsdPath(): string {
    return path.join(this.root, PACK_XSD);
  }
}

/** The files {@link contentHash} covers, sorted. */
function packFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.(sch|xml|xsd)$/i.test(e.name)) files.push(p);
    }
  };
  for (const part of ['schematrons', 'jeuxDeValeurs', 'infrastructure']) {
    if (fs.existsSync(path.join(root, part))) walk(path.join(root, part));
  }
  return files.sort();
}

/** sha256 over every file of the parts of the tree the validator reads (paths and bytes). */
export function contentHash(root: string): string {
  const hash = createHash('sha256');
  for (const f of packFiles(root)) {
    hash.update(path.relative(root, f).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(fs.readFileSync(f));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * {@link contentHash}, remembered in the cache under a fingerprint of the files' paths, sizes, inodes and
 * modification and change times: reading the whole pack (~2,000 files) cost a cold process 0.3 s. Any write
 * to a file changes its ctime, so an edited pack is hashed again.
 */
export function cachedContentHash(root: string, cacheDir: string): string {
  const fp = createHash('sha256');
  fp.update(`${SCHEMATRON_COMPILER_VERSION}\0${root}\0`);
  for (const f of packFiles(root)) {
    const st = fs.statSync(f, { bigint: true });
    fp.update(`${f}\0${st.size}\0${st.ino}\0${st.mtimeNs}\0${st.ctimeNs}\n`);
  }
  const file = path.join(cacheDir, 'pack-hashes', `${fp.digest('hex')}.txt`);
  try {
    const known = fs.readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(known)) return known;
  } catch {
    // not remembered yet
  }
  const hash = contentHash(root);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, hash);
    fs.renameSync(tmp, file);
  } catch {
    // a read-only cache only costs speed
  }
  return hash;
}

/** The commit of a git checkout containing `dir`, read from .git without running git. */
export function gitCommit(dir: string): string | undefined {
  for (let cur = dir; ; cur = path.dirname(cur)) {
    const gitDir = path.join(cur, '.git');
    if (fs.existsSync(gitDir) && fs.statSync(gitDir).isDirectory()) {
      try {
        const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
        if (/^[0-9a-f]{40}$/.test(head)) return head;
        const ref = /^ref: (.+)$/.exec(head)?.[1];
        if (!ref) return undefined;
        const loose = path.join(gitDir, ref);
        if (fs.existsSync(loose)) return fs.readFileSync(loose, 'utf8').trim();
        const packed = fs.readFileSync(path.join(gitDir, 'packed-refs'), 'utf8');
        return packed.split('\n').find((l) => l.endsWith(` ${ref}`))?.split(' ')[0];
      } catch {
        return undefined;
      }
    }
    if (path.dirname(cur) === cur) return undefined;
  }
}
