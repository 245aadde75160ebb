/**
 * StrucMin reads the XDS typeCode value set from an ART-DECOR `voc-…471` file that TestContenuCDA 3.0 does
 * not ship. The same value set (OID 1.2.250.1.213.1.1.5.471) is in the pack as an IHE SVS file; we rebuild
 * the ART-DECOR shape from it in memory, as the reference oracle did on disk.
 */
import * as slimdom from 'slimdom';
import type * as sd from 'slimdom';
import { NS } from '../xml/names.js';

export function artDecorVocFromSvs(svs: sd.Document, valueSetId: string, name: string): sd.Document {
  const out = new slimdom.Document();
  const root = out.createElementNS(NS.hl7, 'valueSets');
  const vs = out.createElementNS(null, 'valueSet');
  vs.setAttribute('id', valueSetId);
  vs.setAttribute('name', name);
  const list = out.createElementNS(null, 'conceptList');
  const walk = (el: sd.Element) => {
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
      if (c.localName === 'Concept' && c.namespaceURI === NS.svs) {
        const concept = out.createElementNS(null, 'concept');
        for (const a of ['code', 'displayName', 'codeSystem']) {
          const v = c.getAttribute(a);
          if (v !== null) concept.setAttribute(a, v);
        }
        list.appendChild(concept);
      } else walk(c);
    }
  };
  if (svs.documentElement) walk(svs.documentElement);
  vs.appendChild(list);
  root.appendChild(vs);
  out.appendChild(root);
  return out;
}
