/**
 * Document identity: id (→ XDS uniqueId), setId, versionNumber and relatedDocument (→ RPLC association).
 * dmp-interface.md §5.1, §6, §10.1, §10.2.
 */
import { firstChild } from '../../xml/dom.js';
import { isOid } from '../../cda/ids.js';
import type { II } from '../../cda/header.js';
import type { DmpRule } from './context.js';

/** XDS limit on uniqueId (IHE ITI TF-3: an OID of at most 64 characters). */
export const XDS_UNIQUE_ID_MAX = 64;

/** ClinicalDocument/id: a plain OID in @root, no @extension, at most 64 characters. */
export const checkUniqueId: DmpRule = (ctx) => {
  const id = ctx.header.id;
  if (!id?.root) {
    ctx.report('DMP-UNIQUEID-MISSING', {}, id);
    return;
  }
  if (id.extension !== undefined) ctx.report('DMP-UNIQUEID-EXTENSION', {}, id);
  if (!isOid(id.root)) ctx.report('DMP-UNIQUEID-OID', { root: id.root }, id);
  else if (id.root.length > XDS_UNIQUE_ID_MAX) ctx.report('DMP-UNIQUEID-LENGTH', { length: id.root.length }, id);
};

export const checkSetId: DmpRule = (ctx) => {
  const setId = ctx.header.setId;
  if (!setId?.root) ctx.report('DMP-SETID-MISSING', {}, setId);
};

const POSITIVE_INTEGER = /^[1-9]\d*$/;

export const checkVersionNumber: DmpRule = (ctx) => {
  const value = ctx.header.versionNumber;
  if (value !== undefined && POSITIVE_INTEGER.test(value.trim())) return;
  ctx.report('DMP-VERSION-NUMBER', { value: value ?? '(absent)' }, firstChild(ctx.clinical, 'versionNumber'));
};

const RELATIONS = new Set(['RPLC', 'XFRM']);

function describeId(id: II | undefined): string {
  if (!id) return '(absent)';
  const parts = [
    id.root !== undefined ? `root="${id.root}"` : undefined,
    id.extension !== undefined ? `extension="${id.extension}"` : undefined,
    id.nullFlavor !== undefined ? `nullFlavor="${id.nullFlavor}"` : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.length ? parts.join(' ') : '(empty id)';
}

/** relatedDocument: at most one, RPLC or XFRM, whose parentDocument/id is a plain OID other than the document's own. */
export const checkRelatedDocument: DmpRule = (ctx) => {
  const related = ctx.header.relatedDocuments;
  if (related.length > 1) ctx.report('DMP-RELATED-COUNT', { count: related.length }, related[1]);
  for (const rd of related) {
    const typeCode = rd.typeCode ?? '';
    if (!RELATIONS.has(typeCode)) {
      ctx.report('DMP-RELATED-TYPE', { typeCode: typeCode || '(absent)' }, rd);
      continue;
    }
    const parentId = rd.parentDocument?.ids[0];
    if (!parentId?.root || parentId.extension !== undefined || !isOid(parentId.root)) {
      ctx.report('DMP-PARENT-ID', { typeCode, found: describeId(parentId) }, parentId ?? rd.parentDocument ?? rd);
      continue;
    }
    const own = ctx.header.id;
    if (own?.root === parentId.root && own.extension === undefined) ctx.report('DMP-PARENT-SELF', {}, parentId);
  }
};
