/** Moved to xds/document-entry.ts (the XDS model owns the DocumentEntry); kept so existing imports keep working. */
export * from '../xds/document-entry.js';
