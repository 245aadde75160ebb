#!/usr/bin/env node
/**
 * Generates src/policy/generated/*.ts, the data the access-policy evaluator ships with, from the shared
 * research material kept outside the repository:
 *
 *   - the functional rights matrix (actions × the 12 access profiles A–L, with its footnotes) parsed from the
 *     §3 table of dmp-interface.md (a transcription of PDT-INF-526 v1.8);
 *   - the document-type matrix: every known cell of DMP-MatriceHabilitation.partial.json with its evidence,
 *     the rows (typeCodes of JDV_J66) and the columns (1st VIHF subject:role occurrence of JDV_J65, labels and
 *     status from TRE_G15); every other cell stays unknown;
 *   - the savoir-faire / fonction codes that identify a médecin du travail (JDV_J65, cross-checked with TRE_R38).
 *
 *   node scripts/gen-policy-data.mjs [--docs dir] [--terminology dir] [--out dir] [--check]
 *
 * --docs: folder of dmp-interface.md ($DMPKIT_DOCS_DIR, else ../../../shared/docs from the package).
 * --terminology: folder of the JSON value sets ($DMPKIT_TERMINOLOGY_DIR, else ../../../shared/terminology).
 * --check: compare with the committed files instead of writing (exit 1 when they differ).
 * Every input file is recorded with its sha256, so a change of the research notes shows up as a data change.
 * Output is deterministic (no timestamps).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GENERATOR = 'scripts/gen-policy-data.mjs';

/**
 * Matrix row labels of dmp-interface.md §3 → stable row ids. The labels are French prose: a label that is not
 * listed here (or a listed one that disappeared) stops the generation, so a change of the table is reviewed.
 */
const ROW_IDS = new Map([
  ['TD0.0/0.1/0.2', 'TD0.0-0.2'],
  ['TD0.3 se déclarer autorisé', 'TD0.3-declare'],
  ['TD0.3 supprimer son autorisation', 'TD0.3-revoke'],
  ['TD0.3 se supprimer MT', 'TD0.3-remove-mt'],
  ['TD0.4 liste DMP autorisés', 'TD0.4'],
  ['TD0.5 recherche sans INS', 'TD0.5'],
  ['TD0.9 accès Web PS contextuel', 'TD0.9'],
  ['TD1.3a données administratives', 'TD1.3a'],
  ['TD1.6 PS autorisés/bloqués', 'TD1.6'],
  ['TD2.1 alimentation', 'TD2.1'],
  ['TD2.2 alimentation par CPE', 'TD2.2'],
  ['TD3.1 rechercher métadonnées', 'TD3.1-metadata'],
  ["TD3.1 rechercher référence d'un doc", 'TD3.1-reference'],
  ['TD3.2 docs non masqués PS', 'TD3.2-unmasked'],
  ['TD3.2 docs masqués PS', 'TD3.2-masked'],
  ['TD3.2 non visibles patient/RL, archivés, obsolètes, supprimés', 'TD3.2-special'],
  ['TD3.3a masquer aux PS', 'TD3.3a-mask'],
  ['TD3.3a démasquer', 'TD3.3a-unmask'],
  ['TD3.3b rendre visible au patient', 'TD3.3b-show'],
  ['TD3.3d archiver / désarchiver', 'TD3.3d'],
  ['TD3.3c supprimer', 'TD3.3c'],
]);

const PROFILES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L'];

/** Footnotes the evaluator implements as conditions (src/policy/footnotes.ts); any other one stops the generation. */
const FOOTNOTES = ['*', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'];

/** First-occurrence code systems of the VIHF subject:role that can be a column of the document-type matrix. */
const PROFESSION_SYSTEMS = ['G15', 'G16', 'R94', 'R95', 'R291', 'A00'];

/** The "Médecine du travail" savoir-faire displays and the TRE_R21 fonction, as they read in JDV_J65. */
const OCCUPATIONAL_HEALTH = /m[ée]decin(e)? (de santé )?(du|au) travail/i;

function usage(message) {
  process.stderr.write(`gen-policy-data: ${message}\n`);
  process.stderr.write('usage: node scripts/gen-policy-data.mjs [--docs dir] [--terminology dir] [--out dir] [--check]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { docs: undefined, terminology: undefined, out: join(PKG_DIR, 'src/policy/generated'), check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (!v) usage(`${a} needs a directory`);
      return resolve(v);
    };
    if (a === '--check') opts.check = true;
    else if (a === '--out') opts.out = value();
    else if (a === '--docs') opts.docs = value();
    else if (a === '--terminology') opts.terminology = value();
    else usage(`unknown argument ${a}`);
  }
  opts.docs ??= process.env.DMPKIT_DOCS_DIR ? resolve(process.env.DMPKIT_DOCS_DIR) : resolve(PKG_DIR, '../../../shared/docs');
  opts.terminology ??= process.env.DMPKIT_TERMINOLOGY_DIR
    ? resolve(process.env.DMPKIT_TERMINOLOGY_DIR)
    : resolve(PKG_DIR, '../../../shared/terminology');
  return opts;
}

function read(dir, file) {
  const path = join(dir, file);
  if (!existsSync(path)) throw new Error(`missing ${path}`);
  const text = readFileSync(path, 'utf-8');
  return { file, text, sha256: createHash('sha256').update(text).digest('hex') };
}

const fail = (msg) => {
  throw new Error(msg);
};

/** Markdown emphasis and code spans out of a text cell, whitespace collapsed. */
const plain = (s) =>
  s
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\*([^*\s][^*]*)\*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();

// --- functional matrix (dmp-interface.md §3) -------------------------------------------------------------

function sectionOf(md, heading) {
  const start = md.indexOf(`\n${heading}`);
  if (start < 0) fail(`dmp-interface.md: heading "${heading}" not found`);
  const next = md.indexOf('\n## ', start + 1);
  return md.slice(start, next < 0 ? undefined : next);
}

function parseCell(raw, where) {
  const m = /^(oui|non)(?:\((\d+)\))?$/.exec(raw.trim());
  if (!m) fail(`${where}: cell "${raw}" is neither oui/non nor oui(n)/non(n)`);
  const footnotes = m[2] ? [m[2]] : [];
  for (const f of footnotes) if (!FOOTNOTES.includes(f)) fail(`${where}: footnote (${f}) is not implemented`);
  return { allowed: m[1] === 'oui', footnotes };
}

function parseProfiles(section) {
  const line = section.slice(section.indexOf('Columns:'), section.indexOf('\n\n', section.indexOf('Columns:')));
  const labels = new Map();
  for (const m of line.matchAll(/\*\*([A-L])\*\*\s+([^·]+?)(?=\s*·|\.\s*$|$)/g)) labels.set(m[1], plain(m[2]).replace(/\.$/, ''));
  for (const p of PROFILES) if (!labels.has(p)) fail(`dmp-interface.md §3: no label for column ${p}`);
  // "B same régulation": the header repeats the subject of the previous full label ("CPS/CPF PS non-médecin").
  let subject = '';
  return PROFILES.map((p) => {
    const label = labels.get(p);
    const same = /^same\s+(.*)$/.exec(label);
    if (same && !subject) fail(`dmp-interface.md §3: column ${p} says "same" with nothing before it`);
    if (!same) subject = label.replace(/\s+\S+$/, '');
    return [p, same ? `${subject} ${same[1]}` : label];
  });
}

function parseFootnotes(section) {
  const start = section.indexOf('Footnotes:');
  if (start < 0) fail('dmp-interface.md §3: no "Footnotes:" paragraph');
  const end = section.indexOf('\nNote the', start);
  const text = plain(section.slice(start + 'Footnotes:'.length, end < 0 ? undefined : end));
  const notes = new Map();
  const star = /^\*\s+(.*?)\s*(?=\(1\))/.exec(text);
  if (!star) fail('dmp-interface.md §3: the `*` footnote was not found before (1)');
  notes.set('*', star[1]);
  for (const m of text.matchAll(/\((\d+)\)\s+(.*?)(?=\s*\(\d+\)\s|$)/g)) notes.set(m[1], m[2].replace(/\s*\[\?\]\s*\.?$/, ' [?]').trim());
  for (const f of FOOTNOTES) if (!notes.has(f)) fail(`dmp-interface.md §3: footnote (${f}) not found`);
  return FOOTNOTES.map((f) => [f, notes.get(f)]);
}

function parseNotes(section) {
  const notes = [];
  const after = section.slice(section.indexOf('\nNote the'));
  for (const para of after.split(/\n(?=[A-Z])/)) {
    const t = plain(para.replace(/^-{3,}\s*$/gm, ''));
    if (t) notes.push(t);
  }
  return notes;
}

function matrixMeta(md) {
  const row = md.split('\n').find((l) => /^\|\s*MATRIX\s*\|/.test(l));
  if (!row) fail('dmp-interface.md §0: no MATRIX source row');
  const m = /PDT-INF-526 - (.+?) v([\d.]+)\.pdf` \((.+?), (\d\d)\.(\d\d)\.(\d{4})\)/.exec(row);
  if (!m) fail('dmp-interface.md §0: the MATRIX row does not name "PDT-INF-526 - <title> v<version>.pdf (<publisher>, dd.mm.yyyy)"');
  const repo = /`([^`]+)`/.exec(row)?.[1] ?? null;
  return { id: 'PDT-INF-526', title: m[1], version: m[2], publisher: m[3], date: `${m[6]}-${m[5]}-${m[4]}`, repo };
}

function functionalMatrix(doc) {
  const section = sectionOf(doc.text, '## 3.');
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const header = lines[0].split('|').slice(1, -1).map((s) => s.trim());
  if (header.join(',') !== ['Action', ...PROFILES].join(',')) fail(`dmp-interface.md §3: unexpected table header ${header.join(' | ')}`);
  const rows = [];
  const seen = new Set();
  for (const line of lines.slice(2)) {
    const cells = line.split('|').slice(1, -1).map((s) => s.trim());
    if (cells.length !== 13) fail(`dmp-interface.md §3: row "${line}" has ${cells.length - 1} cells, expected 12`);
    const rawLabel = cells[0];
    const star = /\s\*$/.test(rawLabel);
    const label = rawLabel.replace(/\s\*$/, '').trim();
    const id = ROW_IDS.get(label) ?? fail(`dmp-interface.md §3: row "${label}" has no row id in ${GENERATOR} (new row? map it)`);
    seen.add(label);
    rows.push({ id, label, star, cells: cells.slice(1).map((c, i) => parseCell(c, `row "${label}", column ${PROFILES[i]}`)) });
  }
  for (const label of ROW_IDS.keys()) if (!seen.has(label)) fail(`dmp-interface.md §3: row "${label}" disappeared from the table`);
  return {
    ...matrixMeta(doc.text),
    profiles: parseProfiles(section),
    rows,
    footnotes: parseFootnotes(section),
    notes: parseNotes(section),
    source: { file: doc.file, section: '§3', sha256: doc.sha256 },
  };
}

// --- document-type matrix ---------------------------------------------------------------------------------

const shortSystem = (systemName) => /^TRE_([A-Z]\d+)-/.exec(systemName ?? '')?.[1];

function columns(j65, g15) {
  const g15Status = new Map(g15.concepts.map((c) => [c.code, c.status]));
  const out = [];
  for (const c of j65.concepts) {
    if (!String(c.vihfSubjectRoleOccurrence ?? '').startsWith('1')) continue;
    const sys = shortSystem(c.systemName) ?? fail(`JDV_J65: no TRE short name in "${c.systemName}"`);
    if (!PROFESSION_SYSTEMS.includes(sys)) fail(`JDV_J65: first-occurrence system ${sys} is not handled`);
    const status = sys === 'G15' ? (g15Status.get(c.code) ?? 'absent from TRE_G15') : 'active';
    out.push({ id: `${sys}-${c.code}`, label: sys === 'G15' ? (g15.concepts.find((g) => g.code === c.code)?.display ?? c.display) : c.display, profession: { system: sys, oid: c.system, code: c.code }, status });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The partial file's actor ids → column ids of the generated data (same id for plain professions). */
function partialColumn(actor, columnsById) {
  const first = actor.match?.subjectRole1;
  if (!first) fail(`matrix partial: actor ${actor.id} has no subjectRole1`);
  const sys = { '1.2.250.1.71.1.2.7': 'G15', '1.2.250.1.71.1.2.8': 'G16', '1.2.250.1.213.1.6.1.140': 'R291' }[first.system];
  if (!sys) fail(`matrix partial: actor ${actor.id} uses an unhandled system ${first.system}`);
  const base = `${sys}-${first.code}`;
  const genre = actor.match.genreActivite;
  if (!genre) {
    if (!columnsById.has(base)) fail(`matrix partial: actor ${actor.id} (${base}) is not a JDV_J65 profession`);
    if (actor.id !== base) fail(`matrix partial: actor ${actor.id} should be named ${base}`);
    return { id: base, qualified: null };
  }
  return {
    id: actor.id,
    qualified: {
      label: actor.label,
      profession: { system: sys, oid: first.system, code: first.code },
      qualifier: { system: 'R22', oid: genre.system, code: genre.code },
      assumed: genre.certainty === 'assumed',
      roleBased: sys === 'R291',
    },
  };
}

function rowStatement(s, knownTypes) {
  const m = /^all document types allowed except (.+)$/.exec(s.statement.replace(/\s*\(.*?\)\s*/g, ' ').trim());
  if (!m) fail(`matrix partial: row statement "${s.statement}" does not read "all document types allowed except <codes>"; extend ${GENERATOR}`);
  const except = m[1].split(/\s*,\s*|\s+and\s+/).filter(Boolean);
  for (const code of except) if (!knownTypes.has(code)) fail(`matrix partial: row statement names unknown typeCode ${code}`);
  return { column: s.actor, access: 'allowed', except, evidence: s.evidence, statement: s.statement };
}

function documentMatrix(partialDoc, j66Doc, j65Doc, g15Doc) {
  const partial = JSON.parse(partialDoc.text);
  const j66 = JSON.parse(j66Doc.text);
  const j65 = JSON.parse(j65Doc.text);
  const g15 = JSON.parse(g15Doc.text);
  if (partial.defaults?.unlistedCell !== 'unknown') fail('matrix partial: defaults.unlistedCell is not "unknown"');

  const patientDocument = (code, classCode) => /^(DOCPAT|EXPPAT_)/.test(code) || classCode === '90';
  const types = new Map();
  for (const c of j66.concepts) {
    types.set(c.code, { typeCode: c.code, system: c.system, display: c.display, classCode: c.classCode ?? null, inJ66: true, patientDocument: patientDocument(c.code, c.classCode) });
  }
  for (const t of partial.documentTypes) {
    if (types.has(t.typeCode)) continue;
    types.set(t.typeCode, { typeCode: t.typeCode, system: t.typeCodeSystem, display: t.display, classCode: t.classCode ?? null, inJ66: false, patientDocument: patientDocument(t.typeCode, t.classCode) });
  }

  const cols = columns(j65, g15);
  const byId = new Map(cols.map((c) => [c.id, c]));
  const actorIds = new Map();
  for (const a of partial.actors) {
    const { id, qualified } = partialColumn(a, byId);
    actorIds.set(a.id, id);
    if (qualified) {
      if (byId.has(id)) fail(`matrix partial: qualified actor ${id} collides with a profession column`);
      const col = { id, label: qualified.label, profession: qualified.profession, qualifier: qualified.qualifier, status: 'active', assumed: qualified.assumed, roleBased: qualified.roleBased };
      cols.push(col);
      byId.set(id, col);
    }
  }

  const evidence = new Set(partial.evidenceSources.map((e) => e.id));
  const seen = new Set();
  const cells = partial.cells.map((c, i) => {
    const where = `matrix partial: cells[${i}]`;
    if (!types.has(c.typeCode)) fail(`${where}: typeCode ${c.typeCode} is not a row`);
    const column = actorIds.get(c.actor) ?? fail(`${where}: actor ${c.actor} is not declared`);
    if (!['allowed', 'denied', 'unknown'].includes(c.access)) fail(`${where}: access "${c.access}"`);
    if (!evidence.has(c.evidence)) fail(`${where}: evidence "${c.evidence}" is not an evidence source`);
    const key = `${c.typeCode}|${column}`;
    if (seen.has(key)) fail(`${where}: duplicate cell ${key}`);
    seen.add(key);
    return { typeCode: c.typeCode, column, access: c.access, evidence: c.evidence, ...(c.note ? { note: c.note } : {}) };
  });
  const rowStatements = (partial.knownRowStatements ?? []).map((s) => {
    const r = rowStatement(s, types);
    r.column = actorIds.get(s.actor) ?? fail(`matrix partial: row statement for undeclared actor ${s.actor}`);
    if (!evidence.has(r.evidence)) fail(`matrix partial: row statement evidence "${r.evidence}" is not an evidence source`);
    return r;
  });

  return {
    id: 'DMP-MHAB',
    title: partial.matrix.name,
    version: `${partial.matrix.targetVersion} — partial`,
    date: null,
    origin: 'shipped',
    complete: false,
    legalBasis: partial.matrix.legalBasis,
    officialLocation: partial.matrix.officialLocation,
    sources: partial.evidenceSources.map((e) => ({ id: e.id, ...(e.url ? { url: e.url } : {}), note: e.note })),
    license: partial.license,
    inputs: [
      { file: partialDoc.file, sha256: partialDoc.sha256 },
      { file: j66Doc.file, version: j66.version, sha256: j66Doc.sha256 },
      { file: j65Doc.file, version: j65.version, sha256: j65Doc.sha256 },
      { file: g15Doc.file, version: g15.version, sha256: g15Doc.sha256 },
    ],
    notes: [
      partial.defaults.note,
      `Rows: the ${j66.concepts.length} typeCodes of JDV_J66 (${j66.version}, a stale copy) plus the typeCodes the known cells name that J66 lacks. Columns: the first VIHF subject:role occurrence codes of JDV_J65 (${j65.version}) and the qualified actors of the partial file.`,
    ],
    documentTypes: [...types.values()].sort((a, b) => (a.typeCode < b.typeCode ? -1 : a.typeCode > b.typeCode ? 1 : 0)),
    columns: cols,
    cells,
    rowStatements,
  };
}

function occupationalHealth(j65Doc, r38Doc) {
  const j65 = JSON.parse(j65Doc.text);
  const r38 = JSON.parse(r38Doc.text);
  const r38Codes = new Map(r38.concepts.map((c) => [c.code, c.display]));
  const codes = j65.concepts
    .filter((c) => OCCUPATIONAL_HEALTH.test(c.display))
    .map((c) => ({ code: c.code, system: shortSystem(c.systemName) ?? c.systemName, display: c.display, inR38: r38Codes.has(c.code) }));
  if (!codes.some((c) => c.code === 'SM25')) fail('occupational health: SM25 "Médecine du travail" not found in JDV_J65');
  return { codes, inputs: [{ file: j65Doc.file, sha256: j65Doc.sha256 }, { file: r38Doc.file, sha256: r38Doc.sha256 }] };
}

// --- output ------------------------------------------------------------------------------------------------

/** JSON with the small arrays and objects on one line, so the data reads as a table. */
function json(v, indent = '') {
  const flat = JSON.stringify(v);
  if (v === null || typeof v !== 'object' || flat.length + indent.length <= 110) return flat;
  const inner = indent + '  ';
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + json(x, inner)).join(',\n')}\n${indent}]`;
  return `{\n${Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${json(x, inner)}`).join(',\n')}\n${indent}}`;
}

function module(fromFiles, typeImport, name, type, value) {
  return (
    `// generated by ${GENERATOR} from ${fromFiles.join(', ')} — do not edit\n` +
    `import type { ${typeImport} } from '../data-types.js';\n\n` +
    `export const ${name}: ${type} = ${json(value)};\n`
  );
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const dir of [opts.docs, opts.terminology]) {
    if (!existsSync(dir)) usage(`directory not found: ${dir} (see --docs / --terminology, DMPKIT_DOCS_DIR / DMPKIT_TERMINOLOGY_DIR)`);
  }
  const iface = read(opts.docs, 'dmp-interface.md');
  const partial = read(opts.terminology, 'DMP-MatriceHabilitation.partial.json');
  const j66 = read(opts.terminology, 'JDV_J66-TypeCode-DMP.json');
  const j65 = read(opts.terminology, 'JDV_J65-SubjectRole-DMP.json');
  const g15 = read(opts.terminology, 'TRE_G15-ProfessionSante.json');
  const r38 = read(opts.terminology, 'TRE_R38-SpecialiteOrdinale.json');

  const outputs = new Map([
    ['functional-matrix.ts', module([iface.file], 'FunctionalMatrixData', 'FUNCTIONAL_MATRIX', 'FunctionalMatrixData', functionalMatrix(iface))],
    [
      'document-matrix.ts',
      module([partial.file, j66.file, j65.file, g15.file], 'DocumentMatrixData', 'SHIPPED_DOCUMENT_MATRIX', 'DocumentMatrixData', documentMatrix(partial, j66, j65, g15)),
    ],
    ['occupational-health.ts', module([j65.file, r38.file], 'OccupationalHealthData', 'OCCUPATIONAL_HEALTH', 'OccupationalHealthData', occupationalHealth(j65, r38))],
  ]);

  if (opts.check) {
    const stale = [...outputs].filter(([file, text]) => !existsSync(join(opts.out, file)) || readFileSync(join(opts.out, file), 'utf-8') !== text).map(([f]) => f);
    const extra = existsSync(opts.out) ? readdirSync(opts.out).filter((f) => f.endsWith('.ts') && !outputs.has(f)) : [];
    if (stale.length || extra.length) {
      process.stderr.write(`gen-policy-data: out of date: ${[...stale, ...extra].join(', ')}\n`);
      process.exit(1);
    }
    process.stdout.write(`gen-policy-data: ${outputs.size} files up to date\n`);
    return;
  }
  mkdirSync(opts.out, { recursive: true });
  for (const [file, text] of outputs) writeFileSync(join(opts.out, file), text);
  process.stdout.write(`gen-policy-data: wrote ${outputs.size} files to ${opts.out}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`gen-policy-data: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
