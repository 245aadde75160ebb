/** Runs the built `dmp` as a user would, in a sandboxed environment (own config/cache dirs, no colour forcing). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const CLI_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(CLI_ROOT, 'bin', 'dmp.js');
const GOLDEN_DIR = join(CLI_ROOT, 'test', 'golden');

/** The root `test` script builds first; a missing dist is a setup error, not something to paper over here. */
export function requireBuiltCli(): void {
  if (!existsSync(join(CLI_ROOT, 'dist', 'main.js'))) {
    throw new Error('packages/cli/dist/main.js is missing: build first (pnpm -r run build)');
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  write(rel: string, content: string): string;
  run(args: string[], extraEnv?: NodeJS.ProcessEnv): RunResult;
  cleanup(): void;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'dmp-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DMPKIT_CONFIG_DIR: join(dir, '.config'), DMPKIT_CACHE_DIR: join(dir, '.cache') };
  for (const k of ['DMPKIT_RULES', 'FORCE_COLOR', 'NO_COLOR', 'DMPKIT_DEBUG']) delete env[k];
  return {
    dir,
    env,
    write(rel, content) {
      const file = join(dir, rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    run(args, extraEnv = {}) {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: { ...env, ...extraEnv }, encoding: 'utf-8', timeout: 120_000 });
      if (r.error) throw r.error;
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Output made comparable across machines and runs: sandbox path, timings, core count. */
export function normalize(text: string, sandboxDir: string): string {
  return text
    .split(sandboxDir)
    .join('<sandbox>')
    .replace(/\d+(?:\.\d+)? ms\b/g, '<n> ms')
    .replace(/\bhash [0-9a-f]{12}\b/g, 'hash <hash>')
    .replace(/(documents validated in parallel \(default: )\d+\)/, '$1<cores>)');
}

export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing: run the tests with UPDATE_GOLDEN=1 to create it`);
  expect(actual).toBe(readFileSync(file, 'utf-8'));
}

/** Small documents that need no rule pack and no fixture from elsewhere in the repository. */
export const DOCS = {
  /** Well-formed, but not CDA: a CDA-ROOT error. */
  notCda: '<?xml version="1.0" encoding="UTF-8"?>\n<note xmlns="urn:example">\n  <to>nobody</to>\n</note>\n',
  /** The smallest CDA root: passes the xml and cda layers, so `--layers xml,cda` finds nothing. */
  minimalCda: '<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"/>\n',
  /** Not well-formed: an XML-WELLFORMED error. */
  malformed: '<?xml version="1.0" encoding="UTF-8"?>\n<a>\n  <b>\n</a>\n',
};

const MINIMAL_SCHEMATRON =
  '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">\n' +
  '  <pattern id="p"><rule context="/*"><assert test="true()">always</assert></rule></pattern>\n' +
  '</schema>\n';

/**
 * The smallest tree with a TestContenuCDA layout (the four generic schematrons, one volet, the XSD, the value
 * sets), standing in for the ANS material, which is not redistributable. Returns its absolute path.
 */
export function writeFakePack(sb: Sandbox, name: string): string {
  for (const sch of [
    'schematrons/profils/IHE.sch',
    'schematrons/profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch',
    'schematrons/profils/CI-SIS_ModelesDeContenusCDA.sch',
    'schematrons/profils/CI-SIS_Modeles_ANS.sch',
    'schematrons/CI-SIS_Minimal.sch',
  ]) {
    sb.write(`${name}/${sch}`, MINIMAL_SCHEMATRON);
  }
  sb.write(`${name}/infrastructure/cda/CDA_extended.xsd`, '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>\n');
  sb.write(`${name}/jeuxDeValeurs/README.txt`, 'value sets\n');
  return join(sb.dir, name);
}
