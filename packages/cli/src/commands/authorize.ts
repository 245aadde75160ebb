/**
 * `dmp authorize`: TD0.3 declare yourself authorised on a DMP (`add`, `--medecin-traitant` for the MT role) or remove
 * it (`remove`); TD1.6 the professionals authorised or blocked (`list`); TD0.4 the DMPs you are authorised on (`patients`).
 */
import type { Command } from 'commander';
import { ListAuthorizationsCommand, ListAuthorizedPatientsCommand, SetAuthorizationCommand } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { connectionOptions, patientOf, patientOptions, withClient, type ConnectionOptions, type PatientOptions } from '../base/dmp-client.js';
import { CliError } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';

export function registerAuthorize(parent: Command, ctx: CommandContext): void {
  const group = parent.command('authorize').description('manage your authorization on a patient’s DMP (TD0.3, TD1.6, TD0.4)');
  for (const [name, what] of [
    ['add', 'TD0.3: declare yourself authorised (with --medecin-traitant: as médecin traitant DMP)'],
    ['remove', 'TD0.3: remove your authorization (with --medecin-traitant: only the médecin traitant role)'],
  ] as const) {
    patientOptions(connectionOptions(group.command(name).description(what)))
      .option('--medecin-traitant', 'the médecin traitant DMP role')
      .action(action(ctx, (o: ConnectionOptions & PatientOptions & { medecinTraitant?: boolean }) => runSet(ctx, name, o)));
  }
  patientOptions(connectionOptions(group.command('list').description('TD1.6: professionals authorised on or blocked from the DMP')))
    .option('--mode <mode>', 'ACTIVE, INTERDITE or TOUTE', 'TOUTE')
    .action(action(ctx, (o: ConnectionOptions & PatientOptions & { mode: string }) => runList(ctx, o)));
  connectionOptions(group.command('patients').description('TD0.4: the DMPs you are authorised on'))
    .requiredOption('--since <date>', 'ISO date (UTC): authorizations or documents since then')
    .option('--by <what>', 'LASTAUTORIZATION or LASTDOC', 'LASTDOC')
    .action(action(ctx, (o: ConnectionOptions & { since: string; by: string }) => runPatients(ctx, o)));
}

async function runSet(ctx: CommandContext, name: 'add' | 'remove', o: ConnectionOptions & PatientOptions & { medecinTraitant?: boolean }): Promise<ExitCode> {
  return withClient(ctx, o, async (client) => {
    const r = await client.send(new SetAuthorizationCommand({ patient: patientOf(o), action: name === 'add' ? 'AJOUT' : 'SUPPRESSION', ...(o.medecinTraitant ? { role: 'MEDECIN_TRAITANT' as const } : {}) }));
    if (ctx.globals().json) ctx.output().print(JSON.stringify(r, null, 2));
    else ctx.output().print(`${r.status}${r.context ? ` — ${r.context}` : ''}\ncorrelation id: ${r.$metadata.correlationId}`);
    return ExitCode.OK;
  });
}

async function runList(ctx: CommandContext, o: ConnectionOptions & PatientOptions & { mode: string }): Promise<ExitCode> {
  const mode = o.mode.toUpperCase();
  if (mode !== 'ACTIVE' && mode !== 'INTERDITE' && mode !== 'TOUTE') throw new CliError(`--mode must be ACTIVE, INTERDITE or TOUTE, not "${o.mode}"`);
  return withClient(ctx, o, async (client) => {
    const r = await client.send(new ListAuthorizationsCommand({ patient: patientOf(o), mode }));
    if (ctx.globals().json) ctx.output().print(JSON.stringify(r, null, 2));
    else {
      const lines = r.authorizations.map((a) => `${a.mode ?? '?'}\t${a.nationalId ?? '?'}\t${a.codeSpeciality.join(',')}\tsince ${a.startOfAuthorization ?? '?'}${a.specificRight.length ? `\t${a.specificRight.join(',')}` : ''}`);
      ctx.output().print([`${r.authorizations.length} authorization(s)`, ...lines, `correlation id: ${r.$metadata.correlationId}`].join('\n'));
    }
    return ExitCode.OK;
  });
}

async function runPatients(ctx: CommandContext, o: ConnectionOptions & { since: string; by: string }): Promise<ExitCode> {
  const since = new Date(o.since);
  if (Number.isNaN(since.getTime())) throw new CliError(`--since must be an ISO date, not "${o.since}"`);
  const by = o.by.toUpperCase();
  if (by !== 'LASTAUTORIZATION' && by !== 'LASTDOC') throw new CliError(`--by must be LASTAUTORIZATION or LASTDOC, not "${o.by}"`);
  return withClient(ctx, o, async (client) => {
    const r = await client.send(new ListAuthorizedPatientsCommand({ since, dateType: by }));
    // The list names patients: only counts and dates on the terminal; the identities with --json, on purpose.
    if (ctx.globals().json) ctx.output().print(JSON.stringify(r, null, 2));
    else ctx.output().print(`${r.patients.length} patient(s) (use --json for the list)\ncorrelation id: ${r.$metadata.correlationId}`);
    return ExitCode.OK;
  });
}
