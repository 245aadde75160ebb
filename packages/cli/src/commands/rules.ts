/** `dmp rules`: the group of commands managing the ANS rule pack. */
import type { Command } from 'commander';
import type { CommandContext } from '../base/command.js';
import { registerRulesShow } from './rules-show.js';
import { registerRulesUse } from './rules-use.js';

export function registerRules(parent: Command, ctx: CommandContext): void {
  const rules = parent.command('rules').description('manage the ANS rule pack (TestContenuCDA) used by dmp validate');
  registerRulesUse(rules, ctx);
  registerRulesShow(rules, ctx);
}
