/**
 * `dmp matrix import <file>`: loads the official document-type matrix (CSV or JSON, layouts in
 * docs/access-policy.md), checks it cell by cell, and saves it in the user config so that every access command
 * uses it instead of the partial public data. Reports the shipped public cells the table contradicts.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  compareDocumentMatrices,
  compileDocumentMatrix,
  formatMatrixIssue,
  MatrixImportError,
  parseDocumentMatrixCsv,
  parseDocumentMatrixJson,
  SHIPPED_DOCUMENT_MATRIX,
  type MatrixImportMeta,
  type MatrixImportResult,
} from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { CliError, fsReason } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';
import { saveImportedMatrix } from './matrix-store.js';

interface ImportFlags {
  format?: 'csv' | 'json';
  matrixVersion?: string;
  date?: string;
  url?: string;
  dryRun?: boolean;
}

export function registerMatrixImport(parent: Command, ctx: CommandContext): void {
  parent
    .command('import')
    .description('load the official document-type matrix (CSV or JSON) and use it instead of the partial public data')
    .argument('<file>', 'the table: .csv (one row per typeCode, one column per profession) or .json')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'json']))
    .option('--matrix-version <version>', 'version of the matrix (e.g. 3.1.0); else the file\'s own ("# version:" line, "version" field)')
    .option('--date <date>', 'publication date of the matrix version (e.g. 2024-09-25)')
    .option('--url <url>', 'where the table comes from')
    .option('--dry-run', 'check the file and report, without saving it')
    .addHelpText('after', '\nThe CSV and JSON layouts are described in docs/access-policy.md. Exit codes: 0 imported (or checked), 2 invalid file or usage error.')
    .action(action(ctx, (file: string, flags: ImportFlags) => runMatrixImport(ctx, file, flags)));
}

function formatOf(file: string, flag: ImportFlags['format']): 'csv' | 'json' {
  if (flag) return flag;
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  throw new CliError(`cannot tell the format of ${file} from its extension`, undefined, 'name it .csv or .json, or give --format csv|json');
}

async function runMatrixImport(ctx: CommandContext, file: string, flags: ImportFlags): Promise<ExitCode> {
  const format = formatOf(file, flags.format);
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(ctx.cwd, file));
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${fsReason(err)}`);
  }
  const meta: MatrixImportMeta = { file: basename(file), sha256: createHash('sha256').update(bytes).digest('hex'), importedAt: new Date().toISOString() };
  if (flags.matrixVersion) meta.version = flags.matrixVersion;
  if (flags.date) meta.date = flags.date;
  if (flags.url) meta.url = flags.url;

  let result: MatrixImportResult;
  try {
    const text = bytes.toString('utf-8');
    result = format === 'csv' ? parseDocumentMatrixCsv(text, meta) : parseDocumentMatrixJson(text, meta);
  } catch (err) {
    if (err instanceof MatrixImportError) {
      const shown = err.issues.slice(0, 25).map((i) => `  ${formatMatrixIssue(i)}`);
      const more = err.issues.length > 25 ? [`  … and ${err.issues.length - 25} more`] : [];
      throw new CliError(`${file} is not a valid matrix (${err.issues.length} problem${err.issues.length === 1 ? '' : 's'}):\n${[...shown, ...more].join('\n')}`, undefined, `the ${format.toUpperCase()} layout is described in docs/access-policy.md; nothing was saved`);
    }
    throw err;
  }

  const { matrix, warnings } = result;
  const stats = compileDocumentMatrix(matrix).stats();
  const comparison = compareDocumentMatrices(SHIPPED_DOCUMENT_MATRIX, matrix);
  const contradicted = comparison.contradicted;
  const saved = flags.dryRun ? null : await saveImportedMatrix(ctx.env, matrix);
  const out = ctx.output();
  for (const w of warnings) out.warn(`${file}: ${formatMatrixIssue(w)}`);

  if (ctx.globals().json) {
    out.print(JSON.stringify({ matrix: { id: matrix.id, version: matrix.version, date: matrix.date, sha256: meta.sha256, ...stats }, warnings, shippedCells: comparison, savedIn: saved }, null, 2));
    return ExitCode.OK;
  }
  const c = out.out;
  const lines = [
    `${c.green('✔')} ${flags.dryRun ? 'checked' : 'imported'} ${matrix.id} ${matrix.version} from ${file} (sha256 ${meta.sha256.slice(0, 12)})`,
    `  ${stats.rows} document types × ${stats.columns} columns: ${stats.allowed} allowed, ${stats.denied} denied cells; every other cell unknown`,
  ];
  if (contradicted.length) {
    const n = contradicted.length;
    lines.push(`  ${c.yellow('note:')} ${n} public cell${n === 1 ? '' : 's'} shipped with dmpkit ${n === 1 ? 'differs' : 'differ'} from this table (the imported table wins):`);
    for (const d of contradicted) lines.push(`    ${d.typeCode} × ${d.column}: shipped ${d.expected} [${d.evidence}], imported ${d.actual}`);
  }
  if (comparison.notCovered) {
    const n = comparison.notCovered;
    lines.push(`  ${n} public cell${n === 1 ? '' : 's'} shipped with dmpkit ${n === 1 ? 'falls' : 'fall'} outside this table (row or column missing): undecided while it is in use`);
  }
  lines.push(saved ? `  saved in ${saved}: dmp access and dmp consent now use it` : '  --dry-run: nothing saved');
  out.print(lines.join('\n'));
  return ExitCode.OK;
}
