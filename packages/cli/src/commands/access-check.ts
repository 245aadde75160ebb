/**
 * `dmp access check`: may this actor do this action on this patient's DMP (and this document), and why.
 * Exit 0 allow, 1 deny, 3 undecided (only with --on-unknown unknown), 2 usage error.
 */
import { Option, type Command } from 'commander';
import { accessProfileSpec, DMP_ACTION_IDS, dmpActionSpec, parseAccessInput, type AccessDecision, type AccessRequest, type DmpActionId, type ParsedPolicyInput } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { CliError } from '../base/errors.js';
import type { ExitCode } from '../base/exit-codes.js';
import { decisionJson, decisionLine, exitCodeOf, mark, matricesLine, policyJson, ruleLines } from './access-format.js';
import {
  actorFromFlags,
  addDocumentOptions,
  addPolicyOptions,
  addSituationOptions,
  checkInputExclusive,
  documentFromFlags,
  inputError,
  nowOr,
  patientFromFlags,
  readJsonFile,
  settingsFrom,
  type AccessFlags,
} from './access-options.js';
import { loadPolicy } from './matrix-store.js';

interface CheckFlags extends AccessFlags {
  action?: DmpActionId;
  verbose?: boolean;
}

export function registerAccessCheck(parent: Command, ctx: CommandContext): void {
  const cmd = parent
    .command('check')
    .description('decide whether an actor may do an action on a patient\'s DMP (and a document), with the rules that decide it')
    .addOption(new Option('-a, --action <id>', 'the DMP action').choices(DMP_ACTION_IDS));
  addPolicyOptions(cmd);
  addSituationOptions(cmd);
  addDocumentOptions(cmd);
  cmd
    .option('-v, --verbose', 'also print the source of every rule')
    .addHelpText('after', '\nExit codes: 0 allowed, 1 denied, 3 undecided (with --on-unknown unknown), 2 usage or input error.')
    .action(action(ctx, (flags: CheckFlags, c: Command) => runAccessCheck(ctx, flags, c)));
}

async function requestOf(ctx: CommandContext, flags: CheckFlags, cmd: Command): Promise<ParsedPolicyInput<AccessRequest>> {
  checkInputExclusive(cmd, flags);
  if (flags.input) {
    const raw = await readJsonFile(ctx, flags.input, 'input file');
    try {
      return parseAccessInput(raw, nowOr(flags));
    } catch (err) {
      inputError(err, flags.input);
    }
  }
  if (!flags.action) throw new CliError('no action: give --action <id> (or --input <file>)', undefined, `actions: ${DMP_ACTION_IDS.join(', ')}`);
  const actor = actorFromFlags(flags);
  const request: AccessRequest = {
    action: flags.action,
    actor,
    patient: patientFromFlags(flags),
    mode: flags.mode,
    time: nowOr(flags),
  };
  if (flags.secret) request.secret = true;
  const document = documentFromFlags(flags, actor);
  if (document) request.document = document;
  return { request, settings: {} };
}

async function runAccessCheck(ctx: CommandContext, flags: CheckFlags, cmd: Command): Promise<ExitCode> {
  const { request, settings } = await requestOf(ctx, flags, cmd);
  const policy = await loadPolicy(ctx.env, await settingsFrom(ctx, flags, settings));
  let d: AccessDecision;
  try {
    d = policy.evaluate(request);
  } catch (err) {
    inputError(err, flags.input);
  }
  const out = ctx.output();
  if (ctx.globals().json) {
    out.print(JSON.stringify({ action: request.action, ...decisionJson(d), policy: policyJson(policy) }, null, 2));
    return exitCodeOf(d.decision);
  }
  const c = out.out;
  const spec = dmpActionSpec(request.action)!;
  const lines = [`${mark(c, d.decision)} ${c.bold(d.decision)}  ${request.action} — ${spec.label}`, `  ${decisionLine(d)}`];
  lines.push(d.profile ? `  profile ${d.profile}: ${accessProfileSpec(d.profile).description}` : '  profile: none of the functional matrix columns');
  lines.push('', ...ruleLines(c, d.rules, '  ', flags.verbose === true));
  if (d.obligations.length) {
    lines.push('', '  obligations:');
    for (const o of d.obligations) lines.push(`    ${o.id}  ${o.text}`);
  }
  lines.push('', `  ${c.dim(matricesLine(policy))}`);
  out.print(lines.join('\n'));
  return exitCodeOf(d.decision);
}
