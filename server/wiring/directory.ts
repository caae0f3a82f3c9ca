// The directory and keeping it true: search and service pages, the Open Referral UK API and import, listings and
// their changes, and the freshness reminders.
import type { ServiceView } from '../domain/directory-records'
import { newId } from '../domain/ids'
import { isPublic } from '../data/repositories/directory.repository'
import { toSearchDocument } from '../data/search/documents'
import { createDirectoryService, type DirectoryDeps } from '../services/directory.service'
import { createFreshnessService } from '../services/listing-freshness.service'
import { createListingService } from '../services/listing.service'
import { createOrukImportService } from '../services/oruk-import.service'
import { createOrukService } from '../services/oruk.service'
import type { Wiring } from './shared'

const publicView = (view: ServiceView) => isPublic(view.service, view.organization)

/** The directory service over its repository and index, with the data layer's search documents and public test. */
export function wireDirectoryService(deps: Pick<DirectoryDeps, 'directory' | 'search' | 'geocoder' | 'clock'>) {
  return createDirectoryService({
    ...deps,
    toSearchDocument: (view, taxonomy) => toSearchDocument(view.service, view.organization, view.locations, taxonomy),
    isPublic: publicView,
    newId,
  })
}

export function wireDirectory({ config, search, repos, geocoder, recipients, common }: Wiring) {
  const directory = wireDirectoryService({ directory: repos.directory, search, geocoder, clock: common.clock })
  const oruk = createOrukService({
    directory: repos.directory,
    oruk: repos.oruk,
    search,
    geocoder,
    isPublic: publicView,
    taxonomy: () => directory.taxonomy(),
  })
  const orukImport = createOrukImportService({ oruk: repos.oruk, listTaxonomy: () => repos.directory.listTaxonomy() })
  const reindex = (id: string) => directory.reindexService(id)
  const listings = createListingService({
    directory: repos.directory,
    listings: repos.listings,
    reindex,
    ...common,
    curatorEmails: recipients.curators,
    memberEmails: recipients.members,
    recentReferrers: recipients.recentReferrers,
    newId,
  })
  const freshness = createFreshnessService({
    directory: repos.directory,
    listings: repos.listings,
    listingService: listings,
    reindex,
    ...common,
    curatorEmails: recipients.curators,
    memberEmails: recipients.members,
    settings: { publicUrl: common.publicUrl, ...config.listingFreshness },
  })
  return { directory, oruk, orukImport, listings, freshness }
}
