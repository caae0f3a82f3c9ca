// What several models share: fields that mean the same in each, and sub-documents that stand in more than one.
import { list, nullable, required, subSchema } from './fields'

/** How a care record came to be: made by someone using the app, or by demo seeding. */
export const careOrigin = () => ({ type: String, enum: ['manual', 'demo'], default: 'manual' }) as const
/** How a directory record came to be: also made up for benchmarks (synthetic) or imported from Open Referral. */
export const directoryOrigin = () =>
  ({
    type: String,
    enum: ['manual', 'demo', 'synthetic', 'import'],
    default: 'manual',
  }) as const
/** A curator's decision on a directory record: the public sees only approved records. */
export const reviewStatus = () =>
  ({ type: String, enum: ['approved', 'pending', 'rejected'], default: 'pending' }) as const

/**
 * The UTC month ("2026-12") and day ("2026-12-07") of a record's date, written with it: lists select by equality on
 * the month and page through a collection month by month, a large month a day at a time (repositories/month-pages.ts).
 */
export const monthAndDay = () => ({ month: { type: String }, day: { type: String } }) as const

export const phoneSchema = subSchema({
  id: required(String),
  number: required(String),
  type: { type: String, enum: ['voice', 'text', 'textphone'], default: 'voice' },
  description: nullable(String),
})

export const contactSchema = subSchema({
  id: required(String),
  name: nullable(String),
  title: nullable(String),
  email: nullable(String),
  phones: list(phoneSchema),
})

/** Where an imported record came from (see Provenance in directory-records.ts). */
export const provenanceSchema = subSchema({
  source: required(String),
  external_id: required(String),
  imported_at: required(Date),
  hash: required(String),
})

/** Who did something, as a referral's or a person's history keeps them (ActorSnapshot in domain/referral-records.ts). */
export const actorSnapshotSchema = subSchema({ userId: required(String), name: required(String) })

export const timestamps = { createdAt: 'created_at', updatedAt: 'updated_at' } as const
