/**
 * author and legalAuthenticator: the sources of XDS authorPerson / authorSpecialty / authorInstitution and
 * legalAuthenticator (dmp-interface.md §10.1, §10.2, §5.2).
 */
import { isInsRoot, OIDS } from '../../cda/ids.js';
import type { II } from '../../cda/header.js';
import { checkAuthorSpecialtyCode, isUsableCode } from './codes.js';
import type { DmpRule } from './context.js';

const hasRoot = (id: II | undefined): id is II & { root: string } => !!id?.root && !id.nullFlavor;

/** Each author: an id; for a health professional (PS_IdNat) a specialty in J01; an organisation id unless the patient wrote it. */
export const checkAuthors: DmpRule = (ctx) => {
  const authors = ctx.header.authors;
  if (authors.length === 0) {
    ctx.report('DMP-AUTHOR-ID', { index: 1 });
    return;
  }
  authors.forEach((author, i) => {
    const index = i + 1;
    const aa = author.assignedAuthor;
    const id = aa?.ids[0];
    if (!hasRoot(id)) {
      ctx.report('DMP-AUTHOR-ID', { index }, id ?? aa ?? author);
      return;
    }
    const code = aa?.code;
    if (isUsableCode(code)) checkAuthorSpecialtyCode(ctx, index, code);
    else if (id.root === OIDS.PS_IDNAT) ctx.report('DMP-AUTHOR-SPECIALTY', { index }, aa);
    // Documents written by the patient (author id = INS) carry no authorInstitution.
    if (isInsRoot(id.root)) return;
    if (!aa?.organization?.ids.some(hasRoot)) ctx.report('DMP-AUTHOR-ORG', { index }, aa?.organization ?? aa);
  });
};

/** legalAuthenticator/assignedEntity/id: the XDS legalAuthenticator is required. */
export const checkLegalAuthenticator: DmpRule = (ctx) => {
  const la = ctx.header.legalAuthenticator;
  const id = la?.assignedEntity?.ids[0];
  if (!hasRoot(id)) ctx.report('DMP-LEGALAUTH-ID', {}, id ?? la?.assignedEntity ?? la);
};
