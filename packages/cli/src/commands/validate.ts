/**
 * `dmp validate <paths...>`: validates every document named (files, directories, globs), then decides the
 * exit code from the whole batch, so CI sees every failure of a run at once.
 */
import { stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import {
  SCHEMATRON_ENGINES,
  type SchematronEngine,
  formatReport,
  formatSummary,
  LAYERS,
  REPORT_FORMATS,
  validateFiles,
  type Layer,
  type ReportFormat,
  type ValidateOptions,
  type ValidationReport,
} from '@dmpkit/sdk/validate';
import { action, type CommandContext } from '../base/command.js';
import { cacheDir, describeSource, resolveRulePack } from '../base/config.js';
import { CliError, fsReason } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';
import { expandInputs } from '../base/inputs.js';
import { parseCount, parseLayers, parseSize } from '../base/options.js';
import { createProgress, validatingText } from '../base/progress.js';
import { checkRulePackDir } from '../base/rule-pack.js';
import { judge, type FailOn } from '../base/threshold.js';

interface ValidateFlags {
  format: ReportFormat;
  output?: string;
  failOn: FailOn;
  maxWarnings?: number;
  layers?: Layer[];
  rules?: string;
  rulesCommit?: string;
  volet?: string;
  engine: SchematronEngine;
  jobs: number;
  maxSize?: number;
  verbose?: boolean;
}

export function registerValidate(parent: Command, ctx: CommandContext): void {
  parent
    .command('validate')
    .description('validate CDA documents (XML, CDA, XSD, ANS schematrons, DMP rules) and report the findings')
    .argument('<paths...>', 'files, directories (every *.xml below them) or glob patterns')
    .addOption(new Option('-f, --format <format>', 'report format').choices(REPORT_FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to this file (a summary still goes to stderr)')
    .addOption(new Option('--fail-on <level>', 'lowest severity that makes the run fail').choices(['error', 'warning']).default('error'))
    .option('--max-warnings <n>', 'also fail when the batch has more than n warnings', parseCount(0))
    .option('--layers <list>', `comma list of layers to run, of ${LAYERS.join(',')} (default: all; xml and cda always run, the others need them)`, parseLayers)
    .option('--rules <dir>', 'ANS rule pack (TestContenuCDA tree); default: $DMPKIT_RULES, else the one saved by `dmp rules use`')
    .option('--rules-commit <sha>', 'commit of the rule pack, recorded in the report when the tree is not a git checkout ($DMPKIT_RULES_COMMIT)')
    .option('--volet <name>', 'force the volet schematron (e.g. BIO-CR-BIO_2024.01) instead of choosing it from templateId')
    .addOption(new Option('--engine <engine>', 'schematron engine: fast, or reference (straightforward, slow: the parity yardstick)').choices([...SCHEMATRON_ENGINES]).default('fast'))
    .option('-j, --jobs <n>', 'documents validated in parallel', parseCount(1), availableParallelism())
    .option('--max-size <size>', 'largest document accepted, in bytes or with a unit (20MB, 512KB)', parseSize)
    .option('-v, --verbose', 'also show info findings, English texts, layer runs and timings')
    .addHelpText('after', '\nExit codes: 0 nothing above the threshold, 1 findings above it, 2 usage or I/O error.')
    .action(action(ctx, (paths: string[], flags: ValidateFlags, cmd: Command) => runValidate(ctx, paths, flags, cmd)));
}

async function runValidate(ctx: CommandContext, paths: string[], flags: ValidateFlags, cmd: Command): Promise<ExitCode> {
  const out = ctx.output();
  const format = reportFormat(ctx, flags, cmd);
  const outputFile = flags.output === undefined ? undefined : await checkOutputPath(flags.output, ctx.cwd);

  // Everything the user can get wrong is checked before the (possibly long) validation starts.
  const pack = await resolveRulePack(flags.rules, ctx.env, flags.rulesCommit);
  const rules = pack ? await checkRulePackDir(pack.dir, ctx.cwd, `from ${describeSource(pack.source)}`) : undefined;
  const files = await expandInputs(paths, ctx.cwd);

  const options: ValidateOptions = { jobs: flags.jobs, cacheDir: cacheDir(ctx.env) };
  if (rules) options.rules = rules;
  if (pack?.commit) options.rulesCommit = pack.commit;
  if (flags.volet) options.volet = flags.volet;
  if (flags.engine === 'reference') options.engine = 'reference';
  if (flags.layers) options.layers = flags.layers;
  if (flags.maxSize !== undefined) options.maxBytes = flags.maxSize;

  const progress = createProgress(ctx.stderr, !(format === 'json' && !outputFile));
  let report: ValidationReport;
  try {
    report = await validateFiles(files, options, (done, total, file) => progress.update(validatingText(done, total, file)));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`validation could not run: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    progress.done();
  }

  const rendered = formatReport(report, format, { color: outputFile ? false : out.colorOut, verbose: flags.verbose ?? false, cwd: ctx.cwd });
  if (outputFile) {
    try {
      await writeFile(outputFile, rendered);
    } catch (err) {
      throw new CliError(`cannot write the report to ${flags.output}: ${fsReason(err)}`);
    }
  } else {
    out.print(rendered);
  }
  // When the report on stdout is not the text one, the person watching still gets the totals.
  if (outputFile || format !== 'text') {
    out.info(formatSummary(report, { color: out.colorErr }).trimEnd());
    if (outputFile) out.info(`${format} report written to ${flags.output}`);
  }

  const verdict = judge(report.summary, { failOn: flags.failOn, ...(flags.maxWarnings === undefined ? {} : { maxWarnings: flags.maxWarnings }) });
  for (const reason of verdict.reasons) out.info(out.err.red(`failed: ${reason}`));
  return verdict.exitCode;
}

/** --json is the global shorthand for --format json; asking for both json and another format is a mistake. */
function reportFormat(ctx: CommandContext, flags: ValidateFlags, cmd: Command): ReportFormat {
  if (!ctx.globals().json) return flags.format;
  if (cmd.getOptionValueSource('format') === 'cli' && flags.format !== 'json') {
    throw new CliError(`--json conflicts with --format ${flags.format}`);
  }
  return 'json';
}

/** Fails before validating rather than after: the report must have somewhere to go. */
async function checkOutputPath(file: string, cwd: string): Promise<string> {
  const abs = resolve(cwd, file);
  const parent = await stat(dirname(abs)).catch(() => undefined);
  if (!parent?.isDirectory()) throw new CliError(`cannot write the report to ${file}: the directory ${dirname(file)} does not exist`);
  const existing = await stat(abs).catch(() => undefined);
  if (existing?.isDirectory()) throw new CliError(`cannot write the report to ${file}: it is a directory`);
  return abs;
}
