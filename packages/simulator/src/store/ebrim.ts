/**
 * The ebRIM ExtrinsicObject of a stored DocumentEntry, as the SDK's encoder writes it in a query response, kept with
 * the entry (column `entries.ebrim`): a search's answer is assembled from these strings instead of encoding every
 * entry again. Written when the entry is inserted and again when its status changes (a metadata update inserts a new
 * entry); an entry stored before the column existed is encoded when it is read.
 */
import { emptyRegistryObjectList, encodeAdhocQueryResponse, RESPONSE_STATUS, type DocumentEntry } from '@dmpkit/sdk';

const LIST_START = '<rim:RegistryObjectList>';
const LIST_END = '</rim:RegistryObjectList>';

/**
 * The entry's element exactly as encodeAdhocQueryResponse writes it inside the RegistryObjectList (the namespace
 * prefixes are those the response's root declares).
 */
export function ebrimFragment(entry: DocumentEntry): string {
  const objects = { ...emptyRegistryObjectList(), documentEntries: [entry] };
  const xml = encodeAdhocQueryResponse({ status: RESPONSE_STATUS.Success, errors: [], objects });
  const from = xml.indexOf(LIST_START);
  const to = xml.lastIndexOf(LIST_END);
  if (from < 0 || to < from) throw new Error('unexpected AdhocQueryResponse shape from the SDK encoder');
  return xml.slice(from + LIST_START.length, to);
}

/**
 * `encoded` (a response encoded without document entries, no submission set or folder before them) with `fragments`
 * where the encoder writes document entries: first in the RegistryObjectList.
 */
export function withDocumentFragments(encoded: string, fragments: readonly string[]): string {
  if (!fragments.length) return encoded;
  const empty = encoded.indexOf('<rim:RegistryObjectList/>');
  if (empty >= 0) return `${encoded.slice(0, empty)}${LIST_START}${fragments.join('')}${LIST_END}${encoded.slice(empty + '<rim:RegistryObjectList/>'.length)}`;
  const at = encoded.indexOf(LIST_START);
  if (at < 0) throw new Error('unexpected AdhocQueryResponse shape from the SDK encoder');
  const after = at + LIST_START.length;
  return `${encoded.slice(0, after)}${fragments.join('')}${encoded.slice(after)}`;
}
