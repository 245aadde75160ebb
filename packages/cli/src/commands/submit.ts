/**
 * `dmp submit <cda...>`: TD2.1, one lot with the given CDA documents. Metadata derived from the headers and checked
 * before sending (errors refuse the lot unless --force); `--replace <uniqueId>` replaces that document (RPLC);
 * `--dry-run` prints the metadata, the findings and the envelope, and sends nothing (no network at all).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { planSubmission, sanitizeText, serializePlan, SubmitDocumentsCommand, type Finding, type SubmitInput } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { connectionOptions, createClient, failure, type ConnectionOptions } from '../base/dmp-client.js';
import { CliError, fsReason } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';
import { tree } from './inspect-format.js';
import { inspectView } from './inspect-view.js';

interface Options extends ConnectionOptions {
  dryRun?: boolean;
  replace?: string;
  force?: boolean;
  contentType?: string;
  formatCode?: string;
  ins?: string;
  insOid?: string;
  showHealthData?: boolean;
}

export function registerSubmit(parent: Command, ctx: CommandContext): void {
  connectionOptions(parent.command('submit').description('TD2.1: submit CDA documents to the DMP in one lot (new or replacement)'))
    .argument('<cda...>', 'CDA files, deposited byte for byte')
    .option('--dry-run', 'print the derived metadata, the findings and the envelope; send nothing')
    .option('--replace <uniqueId>', 'the document replaced (one CDA only); default: the CDA relatedDocument RPLC')
    .option('--force', 'send even when the metadata checks report errors')
    .option('--content-type <code^oid>', 'SubmissionSet contentTypeCode (JDV_J59); default: the healthcareFacilityTypeCode')
    .option('--format-code <code^scheme>', 'formatCode of structured (N3) documents (JDV_J60, e.g. urn:asip:ci-sis:vsm:2012^1.2.250.1.213.1.1.4.2.282); N1 documents get theirs from the body')
    .option('--ins <ins>', 'the patient INS (default: the documents’ patient)')
    .option('--ins-oid <oid>', 'INS authority OID', '1.2.250.1.213.1.4.8')
    .option('--show-health-data', 'with --dry-run: print patient identifiers and names unmasked')
    .action(action(ctx, (files: string[], o: Options) => runSubmit(ctx, files, o)));
}

function code(value: string, flag = '--content-type'): { code: string; codingScheme: string } {
  const [c, s] = value.split('^');
  if (!c || !s) throw new CliError(`${flag} must be code^codingScheme, not "${value}"`);
  return { code: c, codingScheme: s };
}

function findingLine(f: Finding): string {
  const at = f.location.line ? `:${f.location.line}${f.location.column ? `:${f.location.column}` : ''}` : '';
  return `  ${f.severity.padEnd(7)} ${f.ruleId} ${f.location.file}${at} — ${sanitizeText(f.messageEn ?? f.message)}`;
}

async function runSubmit(ctx: CommandContext, files: string[], o: Options): Promise<ExitCode> {
  if (o.replace && files.length !== 1) throw new CliError('--replace takes one CDA document');
  const documents = await Promise.all(
    files.map(async (f) => {
      try {
        return { content: await readFile(resolve(ctx.cwd, f)), file: f, ...(o.replace ? { replaces: o.replace } : {}), ...(o.formatCode ? { formatCode: code(o.formatCode, '--format-code') } : {}) };
      } catch (err) {
        throw new CliError(`cannot read ${f}: ${fsReason(err)}`);
      }
    }),
  );
  const input: SubmitInput = {
    documents,
    force: o.force === true,
    ...(o.contentType ? { contentTypeCode: code(o.contentType) } : {}),
    ...(o.ins ? { patient: { ins: o.ins, oid: o.insOid ?? '1.2.250.1.213.1.4.8' } as SubmitInput['patient'] } : {}),
  };
  const out = ctx.output();
  const client = await createClient(ctx, o).catch((err: unknown) => failure(ctx, err));
  if (typeof client === 'number') return client;
  try {
    if (o.dryRun) {
      const plan = await planSubmission(client, input, { lookUpReplaced: false });
      const request = await client.build(new SubmitDocumentsCommand(input), serializePlan(plan));
      const view = inspectView({ format: 'xml', byteLength: 0, lineEndings: 'none', payload: { family: 'xds' }, issues: [], xds: { objects: plan.lot.objects } } as never, { showHealthData: o.showHealthData === true });
      const envelope = o.showHealthData ? request.envelope : sanitizeText(request.envelope, { max: 1_000_000 });
      if (ctx.globals().json) {
        out.print(JSON.stringify({ dryRun: true, objects: (view.xds as { objects: unknown }).objects, findings: plan.findings, replaced: plan.replaced, contentType: request.contentType, envelope }, null, 2));
      } else {
        const objects = (view.xds as { objects: Record<string, Array<Record<string, unknown>>> }).objects;
        const lines = ['Metadata (dry run: nothing sent)'];
        for (const [k, label] of [['submissionSets', 'SubmissionSet'], ['documentEntries', 'DocumentEntry'], ['associations', 'Association']] as const) {
          for (const obj of objects[k] ?? []) lines.push(`  ${label} ${String(obj.entryUUID)}`, ...tree(obj, '    ', new Set(['entryUUID'])));
        }
        lines.push(plan.findings.length ? `Findings (${plan.findings.length})` : 'Findings: none', ...plan.findings.map(findingLine));
        lines.push(`Envelope (${request.contentType.split(';')[0]}, ${plan.lot.documents.length} attachment(s))`, envelope);
        out.print(lines.join('\n'));
      }
      return plan.findings.some((f) => f.severity === 'error') && !o.force ? ExitCode.DMP_ERROR : ExitCode.OK;
    }
    const command = new SubmitDocumentsCommand(input);
    const r = await client.send(command);
    if (ctx.globals().json) out.print(JSON.stringify(r, null, 2));
    else {
      const lines = [`submitted: ${r.documents.length} document(s) in lot ${r.submissionSetUniqueId} (${r.status})`];
      for (const d of r.documents) lines.push(`  ${d.uniqueId}${d.replaces ? ` replaces ${d.replaces}` : ''}`);
      if (r.confirmedAfterTransportFailure) lines.push('  the response was lost; the documents were found in the registry by uniqueId');
      const shown = r.findings.filter((f) => f.severity !== 'info');
      if (shown.length) lines.push(`Findings (${shown.length})`, ...shown.map(findingLine));
      for (const e of r.registryErrors) lines.push(`  registry: ${e.errorCode} ${e.codeContext}`);
      lines.push(`correlation id: ${r.$metadata.correlationId}`);
      out.print(lines.join('\n'));
    }
    return ExitCode.OK;
  } catch (err) {
    const plan = (err as { findings?: Finding[] }).findings;
    if (plan?.length && !ctx.globals().json) out.print(['Findings', ...plan.map(findingLine)].join('\n'));
    return failure(ctx, err);
  } finally {
    await client.close();
  }
}
