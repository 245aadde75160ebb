/** `dmp access`: the access policy of the DMP (rights matrix, document-type matrix, consent, visibility). */
import type { Command } from 'commander';
import type { CommandContext } from '../base/command.js';
import { registerAccessCheck } from './access-check.js';
import { registerAccessExplain } from './access-explain.js';

export function registerAccess(parent: Command, ctx: CommandContext): void {
  const access = parent.command('access').description('check what a professional may do in a patient\'s DMP, and why');
  registerAccessCheck(access, ctx);
  registerAccessExplain(access, ctx);
}
