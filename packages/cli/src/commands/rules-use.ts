/**
 * `dmp rules use <dir>`: checks and compiles an ANS TestContenuCDA tree, then saves it as the default rule pack,
 * so every later `dmp validate` applies the XSD and ANS schematron layers without a flag.
 */
import type { Command } from 'commander';
import { compileRulePack, formatPackLine, type CompileRulePackResult } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { cacheDir, updateConfig } from '../base/config.js';
import { CliError } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';
import { createProgress } from '../base/progress.js';
import { checkRulePackDir } from '../base/rule-pack.js';

export function registerRulesUse(parent: Command, ctx: CommandContext): void {
  parent
    .command('use')
    .description('check and compile an ANS TestContenuCDA tree, and make it the default rule pack')
    .argument('<dir>', 'root of the TestContenuCDA tree (holds schematrons/, infrastructure/, jeuxDeValeurs/)')
    .option('--commit <sha>', 'the commit the tree was taken from, when it is not a git checkout (recorded in every report)')
    .action(action(ctx, (dir: string, flags: { commit?: string }) => runRulesUse(ctx, dir, flags.commit)));
}

async function runRulesUse(ctx: CommandContext, dir: string, commit?: string): Promise<ExitCode> {
  const out = ctx.output();
  const { json } = ctx.globals();
  const root = await checkRulePackDir(dir, ctx.cwd, 'given to dmp rules use');

  const progress = createProgress(ctx.stderr, !json);
  let compiled: CompileRulePackResult;
  try {
    compiled = await compileRulePack(root, { cacheDir: cacheDir(ctx.env), ...(commit ? { commit } : {}), onProgress: (msg) => progress.update(msg) });
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot compile the rule pack ${root}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    progress.done();
  }

  // Saved only once it compiled: a pack that cannot compile would break every later validation.
  const { info } = compiled;
  const configFile = await updateConfig(ctx.env, {
    rules: { root: info.root, contentHash: info.contentHash, ...(info.commit ? { commit: info.commit } : {}) },
  });

  if (json) {
    out.print(JSON.stringify({ pack: info, schematrons: compiled.schematrons, fromCache: compiled.fromCache, issues: compiled.issues, configFile }, null, 2));
  } else {
    const c = out.out;
    const lines = [formatPackLine(info)];
    const n = compiled.schematrons.length;
    lines.push(`${n} schematron${n === 1 ? '' : 's'} ${compiled.fromCache ? 'loaded from the cache (unchanged since last compiled)' : 'compiled'}:`);
    for (const s of compiled.schematrons) lines.push(`  ${s}`);
    // Known defects of the published tree that dmpkit works around (also recorded in every report).
    for (const issue of compiled.issues) lines.push(`${c.yellow('note:')} ${issue}`);
    lines.push(`${c.green('✔')} saved in ${configFile}: dmp validate now applies this pack by default.`);
    out.print(lines.join('\n'));
  }
  if (ctx.env.DMPKIT_RULES) out.warn(`DMPKIT_RULES is set (${ctx.env.DMPKIT_RULES}) and takes precedence over the saved pack.`);
  return ExitCode.OK;
}
