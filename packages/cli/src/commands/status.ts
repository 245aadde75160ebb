/** `dmp status --ins <ins>`: TD0.2, does the patient have an open DMP and may I access it (`--admin-data`: TD1.3a). */
import type { Command } from 'commander';
import { GetAdminDataCommand, GetDmpStatusCommand, type AdminData } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { connectionOptions, patientOf, patientOptions, withClient, type ConnectionOptions, type PatientOptions } from '../base/dmp-client.js';
import { ExitCode } from '../base/exit-codes.js';

type Options = ConnectionOptions & PatientOptions & { adminData?: boolean };

export function registerStatus(parent: Command, ctx: CommandContext): void {
  const cmd = parent.command('status').description('TD0.2: whether the patient has a DMP, its state, and your authorization on it');
  patientOptions(connectionOptions(cmd))
    .option('--admin-data', 'TD1.3a: also the administrative data (oppositions to break-glass and emergency access)')
    .action(action(ctx, (o: Options) => runStatus(ctx, o)));
}

const yesNo = (v: boolean | undefined) => (v === undefined ? 'unknown' : v ? 'yes' : 'no');

async function runStatus(ctx: CommandContext, o: Options): Promise<ExitCode> {
  return withClient(ctx, o, async (client) => {
    const patient = patientOf(o);
    const r: AdminData & { $metadata: { correlationId: string } } = o.adminData ? await client.send(new GetAdminDataCommand({ patient })) : await client.send(new GetDmpStatusCommand({ patient }));
    const out = ctx.output();
    if (ctx.globals().json) {
      out.print(JSON.stringify(r, null, 2));
      return ExitCode.OK;
    }
    const lines = [
      `DMP: ${r.dmpExists ? (r.dmpStatus === 'terminated' ? 'closed' : (r.dmpStatus ?? 'exists')) : 'none for this patient'}`,
      `authorization: ${r.authorization ?? 'none'}`,
      `médecin traitant DMP: ${yesNo(r.medecinTraitant)}`,
    ];
    if (o.adminData) lines.push(`opposed to break-glass access: ${yesNo(r.opposedToBreakGlass)}`, `opposed to emergency (centre 15) access: ${yesNo(r.opposedToEmergencyAccess)}`);
    for (const obs of r.observations) if (typeof obs.value === 'boolean') lines.push(`${obs.code}: ${yesNo(obs.value)}`);
    lines.push(`correlation id: ${r.$metadata.correlationId}`);
    out.print(lines.join('\n'));
    return ExitCode.OK;
  });
}
