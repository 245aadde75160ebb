/** `dmp rules show`: which ANS rule pack `dmp validate` would use, and where that choice comes from. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatPackLine } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { configFile, readConfig, type SavedRulePack } from '../base/config.js';
import { ExitCode } from '../base/exit-codes.js';

export function registerRulesShow(parent: Command, ctx: CommandContext): void {
  parent
    .command('show')
    .description('show the ANS rule pack dmp validate uses by default')
    .action(action(ctx, () => runRulesShow(ctx)));
}

interface Shown extends SavedRulePack {
  source: 'env' | 'config';
  exists: boolean;
}

async function runRulesShow(ctx: CommandContext): Promise<ExitCode> {
  const out = ctx.output();
  const file = configFile(ctx.env);
  const saved = (await readConfig(ctx.env)).rules;
  // DMPKIT_RULES wins over the saved pack, as in dmp validate; it carries no hash, the saved one does.
  const fromEnv = ctx.env.DMPKIT_RULES;
  const chosen: SavedRulePack | undefined = fromEnv ? { root: resolve(ctx.cwd, fromEnv) } : saved;
  const shown: Shown | null = chosen
    ? { ...chosen, source: fromEnv ? 'env' : 'config', exists: (await stat(chosen.root).catch(() => undefined))?.isDirectory() === true }
    : null;

  if (shown && !shown.exists) out.warn(`${shown.root} does not exist any more: dmp validate will fail until it is restored or replaced.`);
  if (ctx.globals().json) {
    out.print(JSON.stringify({ rules: shown, configFile: file }, null, 2));
    return ExitCode.OK;
  }
  if (!shown) {
    out.print(
      'No ANS rule pack configured: dmp validate applies only the XML, CDA and DMP layers (no XSD, no ANS schematrons).\n' +
        'Configure one with `dmp rules use <dir>`, DMPKIT_RULES=<dir> or `dmp validate --rules <dir>`.',
    );
    return ExitCode.OK;
  }
  const from = shown.source === 'env' ? 'from DMPKIT_RULES' : `saved by dmp rules use in ${file}`;
  out.print(`${formatPackLine(shown)}\n${from}`);
  return ExitCode.OK;
}
