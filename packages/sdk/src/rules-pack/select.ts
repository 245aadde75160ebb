/**
 * Which volet schematron judges a document (corpus.md §6.1). In order:
 * 1. the volet the caller forces (`--volet`);
 * 2. `ClinicalDocument/templateId` root|extension in the volet map;
 * 3. the `<?oxygen SCHSchema="…/CI-SIS_*.sch"?>` instructions ANS examples carry (only the file name is
 *    used, looked up in the pack: a document can never point the validator at another path);
 * 4. none: the generic layers alone, and the report says why.
 */
import type * as slimdom from 'slimdom';
import { childElements } from '../xml/dom.js';
import { VOLET_BY_TEMPLATE_ID } from './generated/volet-map.js';

export interface VoletChoice {
  /** Pack-relative path of the volet schematron, when one applies. */
  schematron?: string;
  reason: string;
}

export function selectVolet(
  document: slimdom.Document,
  clinicalDocument: slimdom.Element | undefined,
  volets: ReadonlySet<string>,
  forced?: string,
): VoletChoice {
  if (forced) {
    const name = forced.replace(/^.*[\\/]/, '');
    const file = name.endsWith('.sch') ? name : `CI-SIS_${name}.sch`;
    if (!volets.has(file)) return { reason: `the requested volet ${forced} is not in the rule pack` };
    return { schematron: `schematrons/${file}`, reason: 'requested with --volet' };
  }
  const ids = clinicalDocument
    ? childElements(clinicalDocument, 'templateId').map((t) => ({ root: t.getAttribute('root') ?? '', ext: t.getAttribute('extension') ?? '' }))
    : [];
  const hits = [...new Set(ids.map((t) => VOLET_BY_TEMPLATE_ID[`${t.root}|${t.ext}`]).filter((v): v is string => !!v && volets.has(v)))];
  if (hits.length === 1) return { schematron: `schematrons/${hits[0]}`, reason: 'chosen by templateId' };
  if (hits.length > 1) return { reason: `templateIds point to several volets (${hits.join(', ')}): use --volet` };

  const declared: string[] = [];
  for (let n = document.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 7 && (n as slimdom.ProcessingInstruction).target === 'oxygen') {
      const m = /SCHSchema\s*=\s*"([^"]+)"/.exec((n as slimdom.ProcessingInstruction).data);
      const name = m?.[1]?.replace(/^.*[\\/]/, '');
      if (name && /^CI-SIS_.+\.sch$/.test(name) && volets.has(name)) declared.push(name);
    }
  }
  if (declared.length === 1) return { schematron: `schematrons/${declared[0]}`, reason: 'declared by the document (oxygen SCHSchema)' };

  const cisis = ids.filter((t) => t.root.startsWith('1.2.250.1.213.1.1.1.') && t.root !== '1.2.250.1.213.1.1.1.1');
  const shown = cisis.map((t) => (t.ext ? `${t.root} v${t.ext}` : t.root)).join(', ');
  return { reason: shown ? `no volet schematron for templateId ${shown}` : 'no CI-SIS volet templateId' };
}
