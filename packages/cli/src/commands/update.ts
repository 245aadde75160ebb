/** `dmp update <action> <uniqueId|entryUUID> --ins <ins>`: TD3.3 mask/unmask, hide/show, archive/unarchive, delete. */
import type { Command } from 'commander';
import { UPDATE_ACTIONS, UpdateDocumentCommand, type UpdateAction } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { connectionOptions, patientOf, patientOptions, withClient, type ConnectionOptions, type PatientOptions } from '../base/dmp-client.js';
import { CliError } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';

/** CLI names (issue 3) for the SDK actions; the SDK names are accepted too. */
const ALIASES: Record<string, UpdateAction> = {
  'hide-from-patient': 'hide-from-patient',
  'show-to-patient': 'show-to-patient',
  'unhide-from-patient': 'show-to-patient',
  'hide-from-legal-representatives': 'hide-from-legal-representatives',
  'show-to-legal-representatives': 'show-to-legal-representatives',
  'unhide-from-legal-representatives': 'show-to-legal-representatives',
};

export function registerUpdate(parent: Command, ctx: CommandContext): void {
  patientOptions(connectionOptions(parent.command('update').description('TD3.3: change a document’s visibility or status')))
    .argument('<action>', Object.keys(UPDATE_ACTIONS).join(', '))
    .argument('<id>', 'uniqueId (OID) or entryUUID (urn:uuid:…)')
    .action(action(ctx, (name: string, id: string, o: ConnectionOptions & PatientOptions) => runUpdate(ctx, name, id, o)));
}

async function runUpdate(ctx: CommandContext, name: string, id: string, o: ConnectionOptions & PatientOptions): Promise<ExitCode> {
  const act = (ALIASES[name] ?? (name in UPDATE_ACTIONS ? name : undefined)) as UpdateAction | undefined;
  if (!act) throw new CliError(`unknown action "${name}": ${Object.keys(UPDATE_ACTIONS).join(', ')}`);
  return withClient(ctx, o, async (client) => {
    const r = await client.send(new UpdateDocumentCommand({ patient: patientOf(o), action: act, document: id }));
    if (ctx.globals().json) ctx.output().print(JSON.stringify(r, null, 2));
    else {
      const change = r.change.to ? `${r.change.from?.split(':').pop()} → ${r.change.to.split(':').pop()}` : `confidentiality ${r.change.confidentialityCodes?.map((c) => c.code).join(',')}`;
      ctx.output().print(`${act}: ${r.target.uniqueId} (${r.target.entryUUID}) ${change} — ${r.status}\ncorrelation id: ${r.$metadata.correlationId}`);
    }
    return ExitCode.OK;
  });
}
