/** `dmp get <uniqueId|entryUUID> --ins <ins>`: TD3.2, the document's bytes to a file (`-o`) or stdout. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { documentIdKind, findCurrentEntry, RetrieveDocumentsCommand } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { connectionOptions, patientOf, patientOptions, withClient, type ConnectionOptions, type PatientOptions } from '../base/dmp-client.js';
import { CliError, fsReason } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';

interface Options extends ConnectionOptions, PatientOptions {
  output?: string;
}

export function registerGet(parent: Command, ctx: CommandContext): void {
  patientOptions(connectionOptions(parent.command('get').description('TD3.2: retrieve a document by uniqueId or entryUUID')))
    .argument('<id>', 'uniqueId (OID) or entryUUID (urn:uuid:…)')
    .option('-o, --output <file>', 'write the document there (default: stdout)')
    .action(action(ctx, (id: string, o: Options) => runGet(ctx, id, o)));
}

async function runGet(ctx: CommandContext, id: string, o: Options): Promise<ExitCode> {
  const patient = patientOf(o);
  return withClient(ctx, o, async (client) => {
    // The repository only knows uniqueIds: an entryUUID is looked up in the registry first.
    const entry = documentIdKind(id) === 'entryUUID' ? await findCurrentEntry(client, patient, id) : undefined;
    const r = await client.send(new RetrieveDocumentsCommand({ patient, uniqueIds: [entry?.uniqueId ?? id.trim()], ...(entry?.repositoryUniqueId ? { repositoryUniqueId: entry.repositoryUniqueId } : {}) }));
    const doc = r.documents[0];
    if (!doc) throw new CliError(`the DMP returned no document for ${id}`);
    if (o.output) {
      try {
        await writeFile(resolve(ctx.cwd, o.output), doc.content);
      } catch (err) {
        throw new CliError(`cannot write ${o.output}: ${fsReason(err)}`);
      }
      ctx.output().info(`${doc.documentUniqueId} (${doc.mimeType}, ${doc.content.byteLength} bytes) written to ${o.output}; correlation id ${r.$metadata.correlationId}`);
    } else {
      ctx.stdout.write(Buffer.from(doc.content).toString('utf8'));
    }
    return ExitCode.OK;
  });
}
