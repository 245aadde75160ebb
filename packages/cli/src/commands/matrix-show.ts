/**
 * `dmp matrix show`: the document-type matrix in use (the imported official table, else the partial public
 * data shipped with dmpkit) with its sources and what is known; `--type`/`--column` zoom in, `--functional`
 * prints the functional rights matrix (PDT-INF-526) with its footnotes.
 */
import type { Command } from 'commander';
import { ACCESS_PROFILE_IDS, compileDocumentMatrix, FUNCTIONAL_MATRIX, SHIPPED_DOCUMENT_MATRIX, type DocumentMatrixData } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { CliError } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';
import { matrixFile, readImportedMatrix } from './matrix-store.js';

interface ShowFlags {
  type?: string;
  column?: string;
  functional?: boolean;
}

export function registerMatrixShow(parent: Command, ctx: CommandContext): void {
  parent
    .command('show')
    .description('print the document-type matrix in use (imported, else the partial public data) and its sources')
    .option('--type <typeCode>', 'one document type across every column')
    .option('--column <id>', 'the known cells of one column (e.g. G15-60)')
    .option('--functional', 'print the functional rights matrix (actions × profiles A–L) instead')
    .action(action(ctx, (flags: ShowFlags) => runMatrixShow(ctx, flags)));
}

async function runMatrixShow(ctx: CommandContext, flags: ShowFlags): Promise<ExitCode> {
  const out = ctx.output();
  if (flags.functional) {
    if (ctx.globals().json) out.print(JSON.stringify({ functionalMatrix: FUNCTIONAL_MATRIX }, null, 2));
    else out.print(functionalText());
    return ExitCode.OK;
  }
  const imported = await readImportedMatrix(ctx.env);
  const m = imported ?? SHIPPED_DOCUMENT_MATRIX;
  if (flags.column && !m.columns.some((c) => c.id === flags.column)) {
    throw new CliError(`${flags.column} is not a column of ${m.id} ${m.version}`, undefined, 'run `dmp matrix show --json` to list the columns');
  }
  if (ctx.globals().json) {
    const stats = compileDocumentMatrix(m).stats();
    out.print(JSON.stringify({ origin: m.origin, file: imported ? matrixFile(ctx.env) : null, stats, documentMatrix: filtered(m, flags) }, null, 2));
    return ExitCode.OK;
  }
  out.print(documentText(m, flags, imported ? matrixFile(ctx.env) : null));
  return ExitCode.OK;
}

function filtered(m: DocumentMatrixData, f: ShowFlags): DocumentMatrixData {
  if (!f.type && !f.column) return m;
  return {
    ...m,
    documentTypes: m.documentTypes.filter((t) => !f.type || t.typeCode === f.type),
    columns: m.columns.filter((c) => !f.column || c.id === f.column),
    cells: m.cells.filter((c) => (!f.type || c.typeCode === f.type) && (!f.column || c.column === f.column)),
    rowStatements: m.rowStatements.filter((s) => !f.column || s.column === f.column),
  };
}

function documentText(m: DocumentMatrixData, f: ShowFlags, file: string | null): string {
  const stats = compileDocumentMatrix(m).stats();
  const origin = m.origin === 'imported' ? `imported${m.importedAt ? ` on ${m.importedAt.slice(0, 10)}` : ''}, ${file}` : 'shipped with dmpkit';
  const lines = [
    `Document-type matrix ${m.id} ${m.version} (${origin})`,
    `  ${stats.rows} document types × ${stats.columns} columns; known cells: ${stats.allowed} allowed, ${stats.denied} denied, ${stats.unknown} marked unknown by their source; ${stats.rowStatements} column statement${stats.rowStatements === 1 ? '' : 's'}; every other cell is unknown`,
  ];
  for (const s of m.sources) lines.push(`  source ${s.id}${s.url ? ` <${s.url}>` : ''}${s.note ? `: ${s.note}` : ''}`);
  if (m.origin === 'shipped') lines.push(`  the official table: ${m.officialLocation ?? 'not public'}; load it with \`dmp matrix import <file.csv|file.json>\` (layout: docs/access-policy.md)`);

  const display = new Map(m.documentTypes.map((t) => [t.typeCode, t.display]));
  const label = new Map(m.columns.map((c) => [c.id, c.label]));
  const cells = filtered(m, f).cells;
  if (f.type) {
    lines.push('', `${f.type}  ${display.get(f.type) ?? '(not a row of this table)'}`);
    const known = new Set(cells.map((c) => c.column));
    for (const c of cells) lines.push(`  ${c.access.padEnd(8)} ${c.column} (${label.get(c.column)}) [${c.evidence}]${c.note ? ` ${c.note}` : ''}`);
    const statements = m.rowStatements.filter((s) => !known.has(s.column) && !s.except.includes(f.type!));
    for (const s of statements) lines.push(`  ${s.access.padEnd(8)} ${s.column} (${label.get(s.column)}) by column statement [${s.evidence}]`);
    const unknown = m.columns.length - known.size - statements.length;
    lines.push(`  unknown  ${unknown} other column${unknown === 1 ? '' : 's'}`);
    return lines.join('\n');
  }
  lines.push('', f.column ? `Known cells of ${f.column} (${label.get(f.column)}):` : 'Known cells, by document type:');
  const byType = new Map<string, typeof cells>();
  for (const c of cells) byType.set(c.typeCode, [...(byType.get(c.typeCode) ?? []), c]);
  for (const [typeCode, list] of [...byType].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    lines.push(`  ${typeCode}  ${display.get(typeCode) ?? ''}`);
    for (const access of ['allowed', 'denied', 'unknown'] as const) {
      const group = list.filter((c) => c.access === access);
      const evidence = [...new Set(group.map((c) => c.evidence))].join(', ');
      if (group.length) lines.push(`    ${`${access}:`.padEnd(9)}${group.map((c) => c.column).join(' ')}  [${evidence}]`);
    }
  }
  const statements = filtered(m, f).rowStatements;
  if (statements.length) {
    lines.push('', 'Column statements:');
    for (const s of statements) lines.push(`  ${s.column} (${label.get(s.column)}): every type ${s.access}${s.except.length ? ` except ${s.except.join(', ')}` : ''} [${s.evidence}]`);
  }
  return lines.join('\n');
}

function functionalText(): string {
  const f = FUNCTIONAL_MATRIX;
  const cell = (c: { allowed: boolean; footnotes: readonly string[] }) => `${c.allowed ? 'oui' : 'non'}${c.footnotes.length ? `(${c.footnotes.join(',')})` : ''}`;
  const width = Math.max(...f.rows.map((r) => r.label.length + (r.star ? 2 : 0)));
  const lines = [`Functional rights matrix ${f.id} v${f.version} (${f.publisher}, ${f.date}), from ${f.source.file} ${f.source.section}`, ''];
  lines.push(`${''.padEnd(width)}  ${ACCESS_PROFILE_IDS.map((p) => p.padEnd(7)).join('')}`.trimEnd());
  for (const r of f.rows) lines.push(`${`${r.label}${r.star ? ' *' : ''}`.padEnd(width)}  ${r.cells.map((c) => cell(c).padEnd(7)).join('').trimEnd()}`);
  lines.push('', 'Profiles:');
  for (const [id, header] of f.profiles) lines.push(`  ${id}  ${header}`);
  lines.push('', 'Footnotes:');
  for (const [id, text] of f.footnotes) lines.push(`  (${id}) ${text}`);
  for (const n of f.notes) lines.push('', n);
  return lines.join('\n');
}
