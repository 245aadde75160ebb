/**
 * `dmp consent check`: before a professional feeds or consults a DMP, what the consent model asks — may they
 * go on, what to collect first, what to record locally, which TD0.3 call follows and which VIHF purposeofuse.
 * Exit 0 may proceed, 1 must not (yet), 3 undecided (with --on-unknown unknown), 2 usage or input error.
 */
import { Option, type Command } from 'commander';
import { checkConsent, parseConsentInput, type ConsentGiver, type ConsentPurpose, type ConsentRequest, type ParsedPolicyInput } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { CliError } from '../base/errors.js';
import type { ExitCode } from '../base/exit-codes.js';
import { decisionLine, exitCodeOf, mark, policyJson, ruleLines } from './access-format.js';
import { actorFromFlags, addPolicyOptions, addSituationOptions, checkInputExclusive, inputError, nowOr, parseTime, patientFromFlags, readJsonFile, settingsFrom, type AccessFlags } from './access-options.js';
import { loadPolicy } from './matrix-store.js';

interface ConsentFlags extends AccessFlags {
  purpose?: ConsentPurpose;
  careTeam?: boolean;
  informed?: boolean;
  objected?: boolean;
  consent?: ConsentGiver;
  lastAccess?: string;
  justification?: boolean;
  verbose?: boolean;
}

export function registerConsentCheck(parent: Command, ctx: CommandContext): void {
  const cmd = parent
    .command('check')
    .description('what the consent model asks before feeding or consulting a DMP: go or not, what to collect and record, the TD0.3 call, the VIHF purposeofuse')
    .addOption(new Option('--purpose <purpose>', 'what the professional wants to do').choices(['consult', 'feed']))
    .option('--care-team', "the professional is a member of the patient's care team")
    .option('--informed', 'the patient was informed (recorded locally)')
    .option('--objected', 'the patient objected (recorded locally)')
    .addOption(new Option('--consent <giver>', 'explicit consent was just given, by the patient or a legal representative').choices(['patient', 'legal-representative']))
    .option('--last-access <time>', "the professional's last access to this DMP (local record); absent: first access", parseTime)
    .option('--justification', 'a bris de glace justification is recorded (its text stays local)');
  addPolicyOptions(cmd);
  addSituationOptions(cmd);
  cmd
    .option('-v, --verbose', 'also print the source of every rule')
    .addHelpText('after', '\nExit codes: 0 may proceed, 1 must not (yet), 3 undecided (with --on-unknown unknown), 2 usage or input error.')
    .action(action(ctx, (flags: ConsentFlags, c: Command) => runConsentCheck(ctx, flags, c)));
}

async function requestOf(ctx: CommandContext, flags: ConsentFlags, cmd: Command): Promise<ParsedPolicyInput<ConsentRequest>> {
  checkInputExclusive(cmd, flags);
  if (flags.input) {
    const raw = await readJsonFile(ctx, flags.input, 'input file');
    try {
      return parseConsentInput(raw, nowOr(flags));
    } catch (err) {
      inputError(err, flags.input);
    }
  }
  if (!flags.purpose) throw new CliError('no purpose: give --purpose consult or --purpose feed (or --input <file>)');
  const request: ConsentRequest = { actor: actorFromFlags(flags), patient: patientFromFlags(flags), mode: flags.mode, time: nowOr(flags), purpose: flags.purpose };
  if (flags.secret) request.secret = true;
  if (flags.careTeam) request.careTeam = true;
  if (flags.informed) request.informed = true;
  if (flags.objected) request.objected = true;
  if (flags.consent) request.consent = flags.consent;
  if (flags.lastAccess) request.lastAccess = flags.lastAccess;
  if (flags.justification) request.justification = true;
  return { request, settings: {} };
}

async function runConsentCheck(ctx: CommandContext, flags: ConsentFlags, cmd: Command): Promise<ExitCode> {
  const { request, settings } = await requestOf(ctx, flags, cmd);
  const policy = await loadPolicy(ctx.env, await settingsFrom(ctx, flags, settings));
  const advice = checkConsent(policy, request);
  const out = ctx.output();
  if (ctx.globals().json) {
    out.print(JSON.stringify({ purpose: request.purpose, ...advice, policy: policyJson(policy) }, null, 2));
    return exitCodeOf(advice.decision);
  }
  const c = out.out;
  const verdict = advice.decision === 'allow' ? 'may proceed' : advice.decision === 'deny' ? 'must not proceed' : 'undecided';
  const mode = request.mode ?? 'normal';
  const lines = [`${mark(c, advice.decision)} ${c.bold(verdict)}  ${request.purpose} (${mode})`, `  ${decisionLine(advice)}`, '', ...ruleLines(c, advice.rules, '  ', flags.verbose === true)];
  const items = (title: string, list: readonly { id: string; text: string }[]) => {
    if (!list.length) return;
    const width = Math.max(...list.map((x) => x.id.length));
    lines.push('', `  ${title}:`, ...list.map((x) => `    ${x.id.padEnd(width)}  ${x.text}`));
  };
  items('collect first', advice.missing);
  items('record locally', advice.record);
  if (advice.decision === 'allow') {
    lines.push('', `  then: ${advice.td03 ? `TD0.3 setAuthorization(action=${advice.td03.action})` : 'no TD0.3 call'}`);
    lines.push(`  VIHF purposeofuse: ${advice.purposeOfUse}${advice.vihfConfidentialityCode ? `; confidentiality-code: ${advice.vihfConfidentialityCode}` : ''}`);
  }
  out.print(lines.join('\n'));
  return exitCodeOf(advice.decision);
}
