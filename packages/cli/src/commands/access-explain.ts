/**
 * `dmp access explain`: a whole patient situation — which documents of a list the actor may consult, and for
 * each one it may not, the rule that says why. Documents come from a JSON file (an array, or the `documents`
 * of an --input situation); they are named by their `ref` or position, never by content.
 * Exit 0 when the explanation ran (whatever the decisions), 2 on a usage or input error.
 */
import type { Command } from 'commander';
import { explainSituation, parseSituationInput, type AccessDecision, type AccessSituation, type ParsedPolicyInput } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { CliError } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';
import { decisionJson, mark, matricesLine, policyJson, ruleLines } from './access-format.js';
import { actorFromFlags, addPolicyOptions, addSituationOptions, checkInputExclusive, inputError, nowOr, patientFromFlags, readJsonFile, settingsFrom, type AccessFlags } from './access-options.js';
import { loadPolicy } from './matrix-store.js';

interface ExplainFlags extends AccessFlags {
  documents?: string;
  verbose?: boolean;
}

export function registerAccessExplain(parent: Command, ctx: CommandContext): void {
  const cmd = parent
    .command('explain')
    .description('for a patient situation, which documents of a list the actor may consult, and why not the others')
    .option('--documents <file>', 'JSON array of documents ({ ref, typeCode, confidentiality, status, authorIds... })');
  addPolicyOptions(cmd);
  addSituationOptions(cmd);
  cmd
    .option('-v, --verbose', 'print every rule of every document, with its source')
    .addHelpText('after', '\nExit codes: 0 explained, 2 usage or input error.')
    .action(action(ctx, (flags: ExplainFlags, c: Command) => runAccessExplain(ctx, flags, c)));
}

async function situationOf(ctx: CommandContext, flags: ExplainFlags, cmd: Command): Promise<ParsedPolicyInput<AccessSituation>> {
  checkInputExclusive(cmd, flags);
  if (flags.input) {
    const raw = await readJsonFile(ctx, flags.input, 'input file');
    try {
      return parseSituationInput(raw, nowOr(flags));
    } catch (err) {
      inputError(err, flags.input);
    }
  }
  if (!flags.documents) throw new CliError('no documents: give --documents <file.json> (or --input <situation.json>)');
  const documents = await readJsonFile(ctx, flags.documents, 'documents file');
  if (!Array.isArray(documents)) throw new CliError(`the documents file ${flags.documents} must hold a JSON array of documents`);
  // Validated through the same schema as an --input situation, so both report problems the same way.
  const actor = actorFromFlags(flags);
  const patient = patientFromFlags(flags);
  const situation = { actor, patient, mode: flags.mode, ...(flags.secret ? { secret: true } : {}), time: nowOr(flags), documents };
  try {
    return parseSituationInput(situation, nowOr(flags));
  } catch (err) {
    inputError(err, flags.documents);
  }
}

function deciding(d: AccessDecision) {
  return d.rules.find((r) => r.effect === d.raw && r.effect !== 'allow') ?? d.rules.filter((r) => r.effect === 'allow').at(-1) ?? d.rules[0]!;
}

async function runAccessExplain(ctx: CommandContext, flags: ExplainFlags, cmd: Command): Promise<ExitCode> {
  const { request, settings } = await situationOf(ctx, flags, cmd);
  const policy = await loadPolicy(ctx.env, await settingsFrom(ctx, flags, settings));
  const ex = explainSituation(policy, request);
  const out = ctx.output();
  if (ctx.globals().json) {
    out.print(
      JSON.stringify(
        { summary: ex.summary, search: decisionJson(ex.search), documents: ex.documents.map((v) => ({ ref: v.ref, ...decisionJson(v.decision) })), policy: policyJson(policy) },
        null,
        2,
      ),
    );
    return ExitCode.OK;
  }
  const c = out.out;
  const s = ex.summary;
  const lines = [
    `${s.total} document${s.total === 1 ? '' : 's'}: ${s.visible} visible, ${s.hidden} not visible${s.undecided ? ` (${s.undecided} undecided by the public rules)` : ''}`,
    `search (TD3.1): ${mark(c, ex.search.decision)} ${ex.search.decision} — ${ex.search.reason}`,
    '',
  ];
  const width = Math.max(3, ...ex.documents.map((v) => v.ref.length));
  const typeWidth = Math.max(1, ...request.documents.map((doc) => (doc.typeCode ?? '-').length));
  const ruleWidth = Math.max(...ex.documents.map((v) => deciding(v.decision).id.length));
  request.documents.forEach((doc, i) => {
    const v = ex.documents[i]!;
    const d = v.decision;
    const rule = deciding(d);
    lines.push(`${mark(c, d.decision)} ${v.ref.padEnd(width)}  ${(doc.typeCode ?? '-').padEnd(typeWidth)}  ${d.decision.padEnd(7)}  ${rule.id.padEnd(ruleWidth)}  ${d.reason}`);
    if (flags.verbose) lines.push(...ruleLines(c, d.rules, '    ', true), '');
  });
  lines.push('', c.dim(matricesLine(policy)));
  out.print(lines.join('\n'));
  return ExitCode.OK;
}
