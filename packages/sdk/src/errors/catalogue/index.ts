export { ErrorCatalogue, type CatalogueMatch, type MatchKind } from './catalogue.js';
export { catalogueEntrySchema, validateEntry, type CatalogueEntry, type CatalogueOrigin, type CatalogueSeverity } from './entry.js';
export { builtInErrorCatalogue, defaultErrorCatalogue, registerErrorEntries } from './default.js';
export { CATALOGUE_CSV_COLUMNS, CATALOGUE_CSV_COLUMN_HELP, CSV_LIST_SEPARATOR, loadErrorCatalogue, mergeErrorCatalogue, type LoadCatalogueOptions, type PartialCatalogueEntry } from './load.js';
