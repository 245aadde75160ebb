/** Importing the official document-type matrix: CSV and JSON layouts, errors naming line and column, round trip. */
import { describe, expect, it } from 'vitest';
import {
  compareDocumentMatrices,
  compilePolicy,
  formatMatrixIssue,
  MatrixImportError,
  parseDocumentMatrixCsv,
  parseDocumentMatrixJson,
  parseStoredDocumentMatrix,
  SHIPPED_DOCUMENT_MATRIX,
} from '../../src/index.js';
import { request } from './helpers.js';

const META = { file: 'official.csv', sha256: 'a'.repeat(64) };

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof MatrixImportError) return err.issues.map(formatMatrixIssue);
    throw err;
  }
  throw new Error('expected a MatrixImportError');
}

describe('CSV layout', () => {
  const csv = ['# version: 3.1.0', '# date: 2024-09-25', 'typeCode,display,G15-10,G15-60,G15-21/G05-A', '11488-4,CR de consultation,R,oui,-', '"78601-2","CR, entretien",1,?,x', 'ATTEST-RESID,,non,,'].join('\n');

  it('reads one row per typeCode and one column per profession, with the version and date of its comments', () => {
    const { matrix, warnings } = parseDocumentMatrixCsv(csv, META);
    expect(warnings).toEqual([]);
    expect(matrix).toMatchObject({ id: 'DMP-MHAB', version: '3.1.0', date: '2024-09-25', origin: 'imported', complete: true });
    expect(matrix.columns.map((c) => c.id)).toEqual(['G15-10', 'G15-60', 'G15-21/G05-A']);
    expect(matrix.columns[0]!.label).toBe('Médecin');
    expect(matrix.columns[2]!.qualifier).toEqual({ system: 'G05', code: 'A' });
    expect(matrix.cells.map((c) => `${c.typeCode} ${c.column} ${c.access}`)).toEqual([
      '11488-4 G15-10 allowed',
      '11488-4 G15-60 allowed',
      '11488-4 G15-21/G05-A denied',
      '78601-2 G15-10 allowed',
      '78601-2 G15-21/G05-A allowed',
      'ATTEST-RESID G15-10 denied',
    ]);
    expect(matrix.documentTypes.find((t) => t.typeCode === '78601-2')?.display).toBe('CR, entretien');
    expect(matrix.inputs).toEqual([{ file: 'official.csv', sha256: META.sha256 }]);
  });

  it('accepts ; as separator, a BOM and CRLF line ends (spreadsheet exports)', () => {
    const fr = '\ufeff# version: 3.1.0\r\ntypeCode;G15-10;G15-60\r\n11488-4;O;N\r\n';
    expect(parseDocumentMatrixCsv(fr, META).matrix.cells.map((c) => c.access)).toEqual(['allowed', 'denied']);
  });

  it('is used by the evaluator instead of the shipped data', () => {
    const policy = compilePolicy({ documentMatrix: parseDocumentMatrixCsv(csv, META).matrix });
    const nurse = { authMode: 'DIRECTE' as const, card: 'CPS' as const, profession: '60' };
    expect(policy.evaluate(request({ action: 'TD3.2', actor: nurse, document: { typeCode: '11488-4' } })).decision).toBe('allow');
    // Shipped says 78601-2 × G15-60 allowed; the imported table leaves it empty: undecided now.
    expect(policy.evaluate(request({ action: 'TD3.2', actor: nurse, document: { typeCode: '78601-2' } })).raw).toBe('unknown');
  });

  it('reports every problem with its line and column', () => {
    const bad = ['typeCode,G15-10,G15-XX/Z9-1,G15-60,G15-60', '11488-4,R,R,maybe,R', '11488-4,R,R,R,R', ',R,R,R,R', '11490-0,R,R'].join('\n');
    expect(problems(() => parseDocumentMatrixCsv(bad, META))).toEqual([
      'line 1, column 3 (G15-XX/Z9-1): "G15-XX/Z9-1" is not a column id: a column is <profession system>-<code>, optionally narrowed by /<qualifier system>-<code>: e.g. G15-10, G15-21/G05-A, R291-99/R22-GENR08 (profession systems G15, G16, R94, R95, R291, A00; qualifiers R01, G05, R85, R22, R21)',
      'line 1, column 5 (G15-60): column "G15-60" appears twice (also column 4)',
      'line 2, column 4 (G15-60): "maybe" is not an access value (R, O, oui, yes, x or 1 for allowed; -, N, non, no or 0 for denied; ? or empty for unknown)',
      'line 3, column 1 (typeCode): typeCode 11488-4 already has a row (line 2)',
      'line 4, column 1 (typeCode): empty typeCode',
      'line 5: 3 fields, the header has 5 (check the separators and quotes)',
      'the matrix has no version: give --matrix-version <v> or add a "# version: <v>" line before the header',
    ]);
  });

  it('names the line of an unclosed quote and a wrong first column', () => {
    expect(problems(() => parseDocumentMatrixCsv('typeCode,G15-10\n"11488-4,R\n', META))).toEqual(['line 2, column 1: a quoted field is not closed (missing ")']);
    expect(problems(() => parseDocumentMatrixCsv('code,G15-10\n', META))).toEqual(['line 1, column 1 (code): the first column must be "typeCode"']);
  });

  it('warns, without failing, about typeCodes outside the value sets and professions outside JDV_J65', () => {
    const { warnings } = parseDocumentMatrixCsv('typeCode,G15-77\n11488-4,R\nZZZ-1,R\n', { ...META, version: '1' });
    expect(warnings.map(formatMatrixIssue)).toEqual([
      "line 1, column 2 (G15-77): profession G15-77 is not in dmpkit's copy of JDV_J65 (check the code)",
      'line 3, column 1 (typeCode): typeCode ZZZ-1 is in neither JDV_J66 nor JDV_J07 (kept; check the code)',
    ]);
  });
});

describe('JSON layout', () => {
  it('reads a map of cells, declared columns and sources', () => {
    const json = JSON.stringify({
      version: '3.1.0',
      sources: [{ id: 'pdf', url: 'https://www.dmp.fr/documents/d/dmp/matrice-habilitation' }],
      columns: [{ id: 'PHARMA-OFFICINE', label: "Pharmacien d'officine", profession: 'G15-21', qualifier: 'G05-A' }],
      cells: { '11488-4': { 'G15-10': 'R', 'PHARMA-OFFICINE': '-' } },
    });
    const { matrix } = parseDocumentMatrixJson(json, { ...META, file: 'official.json' });
    expect(matrix.columns.map((c) => c.id)).toEqual(['PHARMA-OFFICINE', 'G15-10']);
    expect(matrix.sources.map((s) => s.id)).toEqual(['import', 'pdf']);
    expect(matrix.cells).toHaveLength(2);
  });

  it('reads a list of cells with evidence (the shape of the shipped partial file)', () => {
    const json = JSON.stringify({ version: '1', sources: [{ id: 'webinar' }], cells: [{ typeCode: '11488-4', actor: 'G15-60', access: 'allowed', evidence: 'webinar', note: 'slide 12' }] });
    expect(parseDocumentMatrixJson(json, META).matrix.cells).toEqual([{ typeCode: '11488-4', column: 'G15-60', access: 'allowed', evidence: 'webinar', note: 'slide 12' }]);
  });

  it('names the JSON path of each problem, and the line and column of a syntax error', () => {
    expect(problems(() => parseDocumentMatrixJson(JSON.stringify({ version: '1', cells: { '11488-4': { 'G15-10': 'maybe', bogus: 'R' } } }), META))).toEqual([
      'cells["11488-4"]["G15-10"]: "maybe" is not an access value (R, O, oui, yes, x or 1 for allowed; -, N, non, no or 0 for denied; ? or empty for unknown)',
    ]);
    expect(problems(() => parseDocumentMatrixJson(JSON.stringify({ version: '1', cells: { '11488-4': { bogus: 'R' } } }), META))[0]).toMatch(/^cells\["11488-4"\]\.bogus: "bogus" is neither a declared column nor a column id/);
    expect(problems(() => parseDocumentMatrixJson(JSON.stringify({ cells: [{ typeCode: 'x', access: 'R' }] }), META))).toEqual(['cells[0]: a cell needs "column" (or "actor")', 'version: the matrix has no version: give --matrix-version <v> or a "version" field']);
    const [syntax] = problems(() => parseDocumentMatrixJson('{\n  "version": "1",\n  "cells": {,}\n}', META));
    expect(syntax).toMatch(/^line 3, column \d+: not valid JSON/);
  });
});

describe('storage and comparison', () => {
  it('a saved matrix reads back the same', () => {
    const { matrix } = parseDocumentMatrixCsv('# version: 2\ntypeCode,G15-10\n11488-4,R\n', { ...META, importedAt: '2025-01-01T00:00:00.000Z' });
    const back = parseStoredDocumentMatrix(JSON.stringify(matrix), 'document-matrix.json');
    expect(back).toMatchObject({ version: '2', importedAt: '2025-01-01T00:00:00.000Z', inputs: matrix.inputs, cells: matrix.cells });
    expect(problems(() => parseStoredDocumentMatrix('{"cells":[]}', 'document-matrix.json'))).toEqual(['not a document matrix saved by dmp matrix import (import the table again)']);
  });

  it('tells which shipped public cells the imported table contradicts, and how many it does not cover', () => {
    const { matrix } = parseDocumentMatrixCsv('# version: 2\ntypeCode,G15-10,G15-70\n78601-2,R,R\n', META);
    const c = compareDocumentMatrices(SHIPPED_DOCUMENT_MATRIX, matrix);
    expect(c.contradicted).toEqual([{ typeCode: '78601-2', column: 'G15-70', expected: 'denied', evidence: 'dmp-presentations', actual: 'allowed' }]);
    expect(c.notCovered).toBe(SHIPPED_DOCUMENT_MATRIX.cells.filter((x) => x.access !== 'unknown').length - 2);
  });
});
