// Sub-document schemas shared by the models. Sub-documents carry no `_id` (the directory's carry their own UUID `id`,
// as HSDS does).
import { Schema } from 'mongoose'

const opts = { _id: false } as const

export const phoneSchema = new Schema(
  {
    id: { type: String, required: true },
    number: { type: String, required: true },
    type: { type: String, enum: ['voice', 'text', 'textphone'], default: 'voice' },
    description: { type: String, default: null },
  },
  opts,
)

export const contactSchema = new Schema(
  {
    id: { type: String, required: true },
    name: { type: String, default: null },
    title: { type: String, default: null },
    email: { type: String, default: null },
    phones: { type: [phoneSchema], default: [] },
  },
  opts,
)

/** Where an imported record came from (see Provenance in directory-records.ts). */
export const provenanceSchema = new Schema(
  {
    source: { type: String, required: true },
    external_id: { type: String, required: true },
    imported_at: { type: Date, required: true },
    hash: { type: String, required: true },
  },
  opts,
)

/** Who did something, as a referral's or a person's history keeps them (ActorSnapshot in domain/referral-records.ts). */
export const actorSnapshotSchema = new Schema(
  { userId: { type: String, required: true }, name: { type: String, required: true } },
  opts,
)

export const timestamps = { createdAt: 'created_at', updatedAt: 'updated_at' } as const
