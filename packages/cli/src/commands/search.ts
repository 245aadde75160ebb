/** `dmp search --ins <ins>`: TD3.1 FindDocuments with every filter as a flag (or `--submission-sets`: FindSubmissionSets). */
import type { Command } from 'commander';
import { FindDocumentsCommand, FindSubmissionSetsCommand, type DocumentEntry, type FindDocumentsInput, type XdsCode } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { connectionOptions, patientOf, patientOptions, withClient, type ConnectionOptions, type PatientOptions } from '../base/dmp-client.js';
import { CliError } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';

interface Options extends ConnectionOptions, PatientOptions {
  status: string[];
  classCode?: string[];
  typeCode?: string[];
  formatCode?: string[];
  practiceSetting?: string[];
  facilityType?: string[];
  eventCode?: string[];
  confidentiality?: string[];
  author?: string[];
  createdFrom?: string;
  createdTo?: string;
  serviceFrom?: string;
  serviceTo?: string;
  serviceStopFrom?: string;
  serviceStopTo?: string;
  submissionSets?: boolean;
}

const STATUSES = ['Approved', 'Archived', 'Deprecated', 'Deleted'] as const;
const collect = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

function codes(values: string[] | undefined, flag: string): XdsCode[] | undefined {
  return values?.map((v) => {
    const [code, codingScheme] = v.split('^');
    if (!code || !codingScheme) throw new CliError(`${flag} takes code^codingScheme, not "${v}"`);
    return { code, codingScheme };
  });
}

function time(v: string | undefined, flag: string): string | undefined {
  if (v === undefined) return undefined;
  const compact = v.replace(/[-:T]/g, '').replace(/Z$/, '');
  if (!/^\d{4,14}$/.test(compact)) throw new CliError(`${flag} takes a UTC date-time (2024-01-31 or 20240131093000), not "${v}"`);
  return compact;
}

export function registerSearch(parent: Command, ctx: CommandContext): void {
  const cmd = parent.command('search').description('TD3.1: find the documents (or submission sets) of a patient');
  patientOptions(connectionOptions(cmd))
    .option('--status <list>', `availability statuses: ${STATUSES.join(', ')}`, collect, [])
    .option('--class-code <code^scheme>', 'classCode (repeatable)', collect)
    .option('--type-code <code^scheme>', 'typeCode (repeatable)', collect)
    .option('--format-code <code^scheme>', 'formatCode (repeatable)', collect)
    .option('--practice-setting <code^scheme>', 'practiceSettingCode (repeatable)', collect)
    .option('--facility-type <code^scheme>', 'healthcareFacilityTypeCode (repeatable)', collect)
    .option('--event-code <code^scheme>', 'eventCodeList (repeatable)', collect)
    .option('--confidentiality <code^scheme>', 'confidentialityCode, e.g. MASQUE_PS^1.2.250.1.213.1.1.4.13 to include masked documents', collect)
    .option('--author <xcn>', 'authorPerson (% wildcards)', collect)
    .option('--created-from <time>', 'creationTime from (UTC)')
    .option('--created-to <time>', 'creationTime to (UTC)')
    .option('--service-from <time>', 'serviceStartTime from (UTC)')
    .option('--service-to <time>', 'serviceStartTime to (UTC)')
    .option('--service-stop-from <time>', 'serviceStopTime from (UTC)')
    .option('--service-stop-to <time>', 'serviceStopTime to (UTC)')
    .option('--submission-sets', 'FindSubmissionSets instead (statuses and times of submission)')
    .action(action(ctx, (o: Options) => runSearch(ctx, o)));
}

function statusOf(e: DocumentEntry): string {
  return (e.availabilityStatus ?? '?').split(':').pop()!;
}

async function runSearch(ctx: CommandContext, o: Options): Promise<ExitCode> {
  const status = (o.status.length ? o.status : ['Approved']).map((s) => {
    const found = STATUSES.find((x) => x.toLowerCase() === s.toLowerCase());
    if (!found) throw new CliError(`--status takes ${STATUSES.join(', ')}, not "${s}"`);
    return found;
  });
  const patient = patientOf(o);
  return withClient(ctx, o, async (client) => {
    const out = ctx.output();
    if (o.submissionSets) {
      const r = await client.send(new FindSubmissionSetsCommand({ patient, status, ...(time(o.createdFrom, '--created-from') ? { submissionTimeFrom: time(o.createdFrom, '--created-from') } : {}), ...(time(o.createdTo, '--created-to') ? { submissionTimeTo: time(o.createdTo, '--created-to') } : {}) }));
      if (ctx.globals().json) out.print(JSON.stringify(r, null, 2));
      else out.print([`${r.submissionSets.length} submission set(s)`, ...r.submissionSets.map((s) => `${s.uniqueId}\t${s.entryUUID}\t${s.submissionTime}`), `correlation id: ${r.$metadata.correlationId}`].join('\n'));
      return ExitCode.OK;
    }
    const filters: FindDocumentsInput = { patient, status };
    const set = <K extends keyof FindDocumentsInput>(k: K, v: FindDocumentsInput[K] | undefined) => {
      if (v !== undefined) filters[k] = v;
    };
    set('classCode', codes(o.classCode, '--class-code'));
    set('typeCode', codes(o.typeCode, '--type-code'));
    set('formatCode', codes(o.formatCode, '--format-code'));
    set('practiceSettingCode', codes(o.practiceSetting, '--practice-setting'));
    set('healthcareFacilityTypeCode', codes(o.facilityType, '--facility-type'));
    set('eventCode', codes(o.eventCode, '--event-code'));
    set('confidentialityCode', codes(o.confidentiality, '--confidentiality'));
    set('authorPerson', o.author);
    set('creationTimeFrom', time(o.createdFrom, '--created-from'));
    set('creationTimeTo', time(o.createdTo, '--created-to'));
    set('serviceStartTimeFrom', time(o.serviceFrom, '--service-from'));
    set('serviceStartTimeTo', time(o.serviceTo, '--service-to'));
    set('serviceStopTimeFrom', time(o.serviceStopFrom, '--service-stop-from'));
    set('serviceStopTimeTo', time(o.serviceStopTo, '--service-stop-to'));
    const r = await client.send(new FindDocumentsCommand(filters));
    if (ctx.globals().json) {
      out.print(JSON.stringify(r, null, 2));
      return ExitCode.OK;
    }
    const rows = r.documentEntries.map((e) => {
      const flags = e.confidentialityCode.filter((c) => c.code !== 'N').map((c) => c.code);
      return [e.uniqueId, e.entryUUID ?? '', statusOf(e), e.creationTime ?? '', e.typeCode?.displayName ?? e.typeCode?.code ?? '', e.title ?? '', flags.join(',')].join('\t');
    });
    out.print([`${r.documentEntries.length} document(s)${r.status === 'PartialSuccess' ? ' (partial result)' : ''}`, ...rows, `correlation id: ${r.$metadata.correlationId}`].join('\n'));
    return ExitCode.OK;
  });
}
