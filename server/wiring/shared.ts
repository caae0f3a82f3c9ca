// What every part of the wiring receives: the configuration, the data adapters and the ports most services take.
import type { Config } from '../config'
import type { Database } from '../data/db'
import type { Geocoder } from '../data/geo/geocoder'
import type { Mailer } from '../data/mail/mailer'
import type { Repositories } from '../data/repositories'
import type { SearchIndex } from '../data/search/search-index'
import type { AuditService } from '../services/audit.service'
import type { Recipients } from '../services/recipients'

export interface Wiring {
  config: Config
  db: Database
  search: SearchIndex
  repos: Repositories
  geocoder: Geocoder
  /** Email recipients, as repository queries. */
  recipients: Recipients
  /** What most services take: the audit trail, the mailer, the clock and the address of the site. */
  common: { audit: AuditService; mailer: Mailer; clock: () => Date; publicUrl: string }
}
