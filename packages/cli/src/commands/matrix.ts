/** `dmp matrix`: the document-type matrix (matrice d'habilitations) the access commands use. */
import type { Command } from 'commander';
import { action, type CommandContext } from '../base/command.js';
import { ExitCode } from '../base/exit-codes.js';
import { registerMatrixImport } from './matrix-import.js';
import { registerMatrixShow } from './matrix-show.js';
import { matrixFile, removeImportedMatrix } from './matrix-store.js';

export function registerMatrix(parent: Command, ctx: CommandContext): void {
  const matrix = parent.command('matrix').description('show the access matrices, or load the official document-type matrix');
  registerMatrixShow(matrix, ctx);
  registerMatrixImport(matrix, ctx);
  matrix
    .command('reset')
    .description('forget the imported document-type matrix and go back to the partial public data')
    .action(
      action(ctx, async () => {
        const removed = await removeImportedMatrix(ctx.env);
        const file = matrixFile(ctx.env);
        const out = ctx.output();
        if (ctx.globals().json) out.print(JSON.stringify({ removed, file }, null, 2));
        else out.print(removed ? `removed ${file}: the access commands use the partial public data again` : `no imported matrix (${file} does not exist): nothing to do`);
        return ExitCode.OK;
      }),
    );
}
