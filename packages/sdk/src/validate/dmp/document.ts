/** Document-level header elements: title, languageCode, xsi:schemaLocation (dmp-interface.md §10.1). */
import { firstChild } from '../../xml/dom.js';
import { NS } from '../../xml/names.js';
import type { DmpRule } from './context.js';

export const TITLE_MAX_CHARS = 128;

/** title: present, not empty, at most 128 characters (counted as Unicode code points, whitespace collapsed as in XDS). */
export const checkTitle: DmpRule = (ctx) => {
  const title = ctx.header.title;
  if (!title) {
    ctx.report('DMP-TITLE-MISSING', {}, firstChild(ctx.clinical, 'title'));
    return;
  }
  const length = [...title].length;
  if (length > TITLE_MAX_CHARS) ctx.report('DMP-TITLE-LENGTH', { length }, firstChild(ctx.clinical, 'title'));
};

export const checkLanguage: DmpRule = (ctx) => {
  const lang = ctx.header.languageCode;
  if (lang?.code === 'fr-FR') return;
  const found = lang?.code ?? (lang?.nullFlavor ? `nullFlavor ${lang.nullFlavor}` : '(absent)');
  ctx.report('DMP-LANGUAGE', { found }, lang);
};

export const checkSchemaLocation: DmpRule = (ctx) => {
  const attr = ctx.clinical.getAttributeNodeNS(NS.xsi, 'schemaLocation');
  if (attr) ctx.report('DMP-SCHEMALOCATION', {}, attr);
};
