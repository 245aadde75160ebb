/**
 * The ebRIM ExtrinsicObject of a stored DocumentEntry, encoded by the SDK (encodeDocumentEntry), kept with the entry
 * (column `entries.ebrim`): a search's answer hands these to the SDK's encoder (encodedDocumentEntries) instead of
 * encoding every entry again. Written when the entry is inserted and again when its status changes (a metadata
 * update inserts a new entry); an entry stored before the column existed is encoded when it is read.
 */
export { encodeDocumentEntry as ebrimFragment } from '@dmpkit/sdk';
