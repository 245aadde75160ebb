/** zod issues as `path: message` lines, the path dotted (`actor.card`, `documents.2.status`). */
import type { z } from 'zod';

export function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
}
