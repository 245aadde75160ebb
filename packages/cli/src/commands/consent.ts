/** `dmp consent`: the consent model the LPS applies before feeding or consulting a DMP. */
import type { Command } from 'commander';
import type { CommandContext } from '../base/command.js';
import { registerConsentCheck } from './consent-check.js';

export function registerConsent(parent: Command, ctx: CommandContext): void {
  const consent = parent.command('consent').description('what to collect and record before feeding or consulting a DMP');
  registerConsentCheck(consent, ctx);
}
