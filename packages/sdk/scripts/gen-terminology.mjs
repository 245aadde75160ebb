#!/usr/bin/env node
/**
 * Generates src/terminology/generated/*.ts from the official value-set copies (JSON) kept outside the repo.
 *
 *   node scripts/gen-terminology.mjs [terminologyDir] [--out dir] [--check]
 *
 * terminologyDir: argument, else $DMPKIT_TERMINOLOGY_DIR, else ../../../shared/terminology from the package.
 * --check: compare with the committed files instead of writing (exit 1 when they differ).
 * Output is deterministic (no timestamps) so a regeneration without data changes is a no-op.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Value sets needed at run time, with our own caveats (from shared/docs/terminology.md and
 * dmp-interface.md §5/§11). `stale` marks copies known to be older than what the DMP uses today.
 */
const VALUE_SETS = [
  { file: 'JDV_J07-XdsTypeCode-CISIS.json', stale: false, notes: [] },
  { file: 'JDV_J06-XdsClassCode-CISIS.json', stale: false, notes: [] },
  {
    file: 'JDV_J57-ClassCode-DMP.json',
    stale: false,
    notes: [],
  },
  { file: 'JDV_J08-XdsConfidentialityCode-CISIS.json', stale: false, notes: [] },
  { file: 'JDV_J58-ConfidentialityCode-DMP.json', stale: false, notes: [] },
  { file: 'JDV_J10-XdsFormatCode-CISIS.json', stale: false, notes: [] },
  {
    file: 'JDV_J60-FormatCode-DMP.json',
    stale: false,
    notes: [
      'No ASS_A11 (CDA template -> formatCode) table is available: the formatCode of a structured (N3) document must be supplied by the caller.',
    ],
  },
  { file: 'JDV_J02-XdsHealthcareFacilityTypeCode-CISIS.json', stale: false, notes: [] },
  {
    file: 'JDV_J61-HealthcareFacilityTypeCode-DMP.json',
    stale: true,
    notes: ['Copy dated 2020-04-24, older than JDV_J02 (2024-12-13): refresh from mos.esante.gouv.fr before production.'],
  },
  { file: 'JDV_J04-XdsPracticeSettingCode-CISIS.json', stale: false, notes: [] },
  {
    file: 'JDV_J62-PracticeSettingCode-DMP.json',
    stale: true,
    notes: [
      'Copy dated 2020-04-24 (old): JDV_J04 (2024) adds SNR and ESSMS, which this copy lacks. Refresh before production.',
      'OID taken from the source file metadata; dmp-interface.md §5.2/§11 list the JDV_J62 OID as not confirmed by DMP material.',
    ],
  },
  {
    file: 'JDV_J66-TypeCode-DMP.json',
    stale: true,
    notes: [
      'Copy dated 2022-09-30, older than JDV_J07 (2024/2026) and the authorisation matrix v3.1.0: typeCodes the DMP accepts today may be missing (ATTEST-*, PIECE-IDENTITE, 60568-3...). Treat "not in J66" as a warning, not a proof of refusal.',
      'OID taken from the source file metadata; dmp-interface.md §5.2/§11 list the JDV_J66 OID as not confirmed by DMP material.',
    ],
  },
  {
    file: 'JDV_J01-XdsAuthorSpecialty-CISIS.json',
    stale: false,
    notes: ['The DMP twin JDV_J56-AuthorSpecialty-DMP was not extracted: J01 is used for authorSpecialty.'],
  },
  { file: 'JDV_J47-FunctionCode-CISIS.json', stale: false, notes: [] },
  { file: 'JDV_J52-AvailabilityStatus-CISIS.json', stale: false, notes: [] },
  {
    file: 'JDV_J59-ContentTypeCode-DMP.json',
    stale: true,
    notes: ['Copy dated 2022-10-28 (old): refresh before production.'],
  },
  {
    file: 'JDV_J65-SubjectRole-DMP.json',
    stale: true,
    notes: [
      'Copy dated 2022-07-29 (old): refresh before production.',
      'OID taken from the source file metadata; dmp-interface.md §11 lists the JDV_J65 OID as not confirmed by DMP material.',
    ],
  },
  { file: 'JDV_J231-XdsTypesIdentifiantsReferenceId-DMP.json', stale: false, notes: [] },
];

const CONCEPT_MAPS = [
  {
    file: 'ASS_X04-CorrespondanceType-Classe-CISIS.json',
    notes: [
      'CI-SIS table used as a proxy: the DMP table ASS_X16-CorrespondanceType-Classe-DMP was not found. Typecodes added to JDV_J07 after 2023-03-31 have no mapping here.',
    ],
  },
];

function usage(message) {
  process.stderr.write(`gen-terminology: ${message}\n`);
  process.stderr.write('usage: node scripts/gen-terminology.mjs [terminologyDir] [--out dir] [--check]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { dir: undefined, out: join(PKG_DIR, 'src/terminology/generated'), check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') opts.check = true;
    else if (a === '--out') {
      const v = argv[++i];
      if (!v) usage('--out needs a directory');
      opts.out = resolve(v);
    } else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else opts.dir = resolve(a);
  }
  opts.dir ??= process.env.DMPKIT_TERMINOLOGY_DIR
    ? resolve(process.env.DMPKIT_TERMINOLOGY_DIR)
    : resolve(PKG_DIR, '../../../shared/terminology');
  return opts;
}

function asNotes(v) {
  if (v == null) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

function readJson(dir, file) {
  const path = join(dir, file);
  if (!existsSync(path)) throw new Error(`missing ${path}`);
  return JSON.parse(readFileSync(path, 'utf-8'));
}

function sourceOf(file, d) {
  return {
    file,
    repo: d.source?.repo ?? null,
    path: d.source?.path ?? null,
    commit: d.source?.commit ?? null,
  };
}

function header(file, d) {
  const commit = d.source?.commit ?? 'none recorded';
  return `// generated by scripts/gen-terminology.mjs from ${file} (version ${d.version ?? 'unknown'}, source commit ${commit}) — do not edit\n`;
}

const q = (s) => JSON.stringify(s ?? '');

function constName(id) {
  return id.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

function meta(d, file, extraNotes, kind) {
  return [
    `  id: ${q(d.id)},`,
    `  kind: ${q(kind)},`,
    `  oid: ${d.oid ? q(d.oid) : 'null'},`,
    `  url: ${d.url ? q(d.url) : 'null'},`,
    `  version: ${q(d.version)},`,
    `  date: ${d.date ? q(d.date) : 'null'},`,
    `  description: ${q(d.description)},`,
    `  source: ${JSON.stringify(sourceOf(file, d))},`,
    `  notes: [\n${[...extraNotes, ...asNotes(d.notes)].map((n) => `    ${q(n)},`).join('\n')}\n  ],`,
  ];
}

function valueSetModule(file, d, spec) {
  if (!Array.isArray(d.concepts) || d.concepts.length === 0) throw new Error(`${file}: no concepts`);
  const name = constName(d.id);
  const rows = d.concepts.map((c) => {
    if (!c.code || !c.system) throw new Error(`${file}: concept without code/system: ${JSON.stringify(c)}`);
    return `    [${q(c.code)}, ${q(c.system)}, ${q(c.display)}],`;
  });
  return {
    name,
    text:
      header(file, d) +
      `import type { ValueSetData } from '../types.js';\n\n` +
      `export const ${name}: ValueSetData = {\n` +
      meta(d, file, spec.notes, 'ValueSet').join('\n') +
      `\n  stale: ${spec.stale},\n  concepts: [\n${rows.join('\n')}\n  ],\n};\n`,
  };
}

function conceptMapModule(file, d, spec) {
  const name = constName(d.id);
  const rows = d.concepts.map((c) => {
    if (!c.code || !c.system || !c.classCode || !c.classSystem) throw new Error(`${file}: incomplete mapping ${JSON.stringify(c)}`);
    return `    [${q(c.code)}, ${q(c.system)}, ${q(c.classCode)}, ${q(c.classSystem)}, ${q(c.classDisplay)}],`;
  });
  const unmapped = (d.unmappedJ07Codes ?? []).map(q).join(', ');
  return {
    name,
    text:
      header(file, d) +
      `import type { ConceptMapData } from '../types.js';\n\n` +
      `export const ${name}: ConceptMapData = {\n` +
      meta(d, file, spec.notes, 'ConceptMap').join('\n') +
      `\n  unmappedJ07Codes: [${unmapped}],\n  mappings: [\n${rows.join('\n')}\n  ],\n};\n`,
  };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(opts.dir)) {
    usage(
      `terminology directory not found: ${opts.dir}\n` +
        'Pass the folder holding JDV_*.json / ASS_*.json as an argument or set DMPKIT_TERMINOLOGY_DIR.',
    );
  }
  const outputs = new Map();
  const vsNames = [];
  const cmNames = [];
  for (const spec of VALUE_SETS) {
    const d = readJson(opts.dir, spec.file);
    const m = valueSetModule(spec.file, d, spec);
    outputs.set(`${d.id}.ts`, m.text);
    vsNames.push([d.id, m.name]);
  }
  for (const spec of CONCEPT_MAPS) {
    const d = readJson(opts.dir, spec.file);
    const m = conceptMapModule(spec.file, d, spec);
    outputs.set(`${d.id}.ts`, m.text);
    cmNames.push([d.id, m.name]);
  }
  const imports = [...vsNames, ...cmNames].map(([id, name]) => `import { ${name} } from './${id}.js';`).join('\n');
  outputs.set(
    'index.ts',
    `// generated by scripts/gen-terminology.mjs (index of the generated modules) — do not edit\n` +
      `${imports}\n\n` +
      `export const VALUE_SETS = {\n${vsNames.map(([id, name]) => `  ${q(id)}: ${name},`).join('\n')}\n} as const;\n\n` +
      `export const CONCEPT_MAPS = {\n${cmNames.map(([id, name]) => `  ${q(id)}: ${name},`).join('\n')}\n} as const;\n`,
  );

  if (opts.check) {
    const stale = [];
    for (const [file, text] of outputs) {
      const path = join(opts.out, file);
      if (!existsSync(path) || readFileSync(path, 'utf-8') !== text) stale.push(file);
    }
    const extra = existsSync(opts.out) ? readdirSync(opts.out).filter((f) => f.endsWith('.ts') && !outputs.has(f)) : [];
    if (stale.length || extra.length) {
      process.stderr.write(`gen-terminology: out of date: ${[...stale, ...extra].join(', ')}\n`);
      process.exit(1);
    }
    process.stdout.write(`gen-terminology: ${outputs.size} files up to date\n`);
    return;
  }
  mkdirSync(opts.out, { recursive: true });
  for (const [file, text] of outputs) writeFileSync(join(opts.out, file), text);
  process.stdout.write(`gen-terminology: wrote ${outputs.size} files to ${opts.out}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`gen-terminology: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
