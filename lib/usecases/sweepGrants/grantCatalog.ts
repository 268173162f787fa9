import type { GrantCatalog } from '../../core/grants/types.js';
import type { DesiredCatalog } from '../sweep/sweep.js';

/**
 * The grant step's view of the catalog the sweep read (the one Scan per sweep): declared buckets with their
 * items, the accepted templates, how many were refused. A catalog without its declared items is incomplete.
 */
export function grantCatalogOf(catalog: DesiredCatalog): GrantCatalog {
  return {
    declared: catalog.declared ?? [],
    templates: catalog.templates,
    refusedTemplates: catalog.refusedTemplates?.length ?? 0,
    ...(catalog.declared === undefined && { incomplete: 'the catalog did not list the declared items' }),
  };
}
