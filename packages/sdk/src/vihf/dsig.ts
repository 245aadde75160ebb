/**
 * The low-level XML-DSig steps our signers need. Canonicalization is xml-crypto's (the same code its
 * verifier runs, with the same in-scope-namespace lookup), hashing and RSA are Node's. We assemble the
 * Signature element ourselves so that its shape matches the DMP samples exactly (xml-crypto's own
 * signer would, for instance, put InclusiveNamespaces under the enveloped-signature transform too).
 */
import { createHash, sign as rsaSign, type KeyObject } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import {
  C14nCanonicalization,
  C14nCanonicalizationWithComments,
  ExclusiveCanonicalization,
  findAncestorNs,
} from 'xml-crypto';
import { findAncestorNsForElement } from 'xml-crypto/lib/utils.js';
import { DSIG, type HashName } from './constants.js';

export function digestBase64(hash: HashName, data: string | Uint8Array): string {
  return createHash(hash).update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest('base64');
}

/** RSA PKCS#1 v1.5 signature of the UTF-8 bytes of `data`, base64. */
export function rsaSignBase64(hash: HashName, data: string, key: KeyObject): string {
  return rsaSign(hash, Buffer.from(data, 'utf8'), key).toString('base64');
}

/**
 * Canonical form of the element selected by `xpath` in `doc` (which must select exactly that element),
 * with the namespaces in scope from its ancestors, as xml-crypto's verifier computes it.
 */
export function canonicalize(
  doc: Document,
  xpath: string,
  element: Element,
  algorithm: string,
  inclusivePrefixes: readonly string[] = [],
): string {
  // xml-crypto's typings use the DOM lib's Node; our nodes are @xmldom/xmldom's (structurally the same).
  return canonicalWith(element, algorithm, findAncestorNs(doc as never, xpath), inclusivePrefixes);
}

/**
 * The same for an element an XPath would select first anyway: the namespaces in scope are read from its
 * ancestors directly (what findAncestorNs does once the XPath has found it; the XPath was most of the cost).
 */
export function canonicalizeElement(element: Element, algorithm: string, inclusivePrefixes: readonly string[] = []): string {
  return canonicalWith(element, algorithm, findAncestorNsForElement(element as never), inclusivePrefixes);
}

function canonicalWith(element: Element, algorithm: string, ancestors: ReturnType<typeof findAncestorNs>, inclusivePrefixes: readonly string[]): string {
  const options = { ancestorNamespaces: ancestors, inclusiveNamespacesPrefixList: [...inclusivePrefixes] };
  switch (algorithm) {
    case DSIG.excC14n:
      // The exclusive canonicalizer adds declarations to its input: work on a copy.
      return new ExclusiveCanonicalization().process(element.cloneNode(true) as never, options).toString();
    case DSIG.c14n:
      return new C14nCanonicalization().process(element as never, options).toString();
    case DSIG.c14nWithComments:
      return new C14nCanonicalizationWithComments().process(element as never, options).toString();
    default:
      throw new Error(`unsupported canonicalization ${algorithm}`);
  }
}
