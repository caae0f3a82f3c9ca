// Sub-document schemas shared by the directory models. Sub-documents carry their own UUID `id` (HSDS) and no `_id`.
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

export const timestamps = { createdAt: 'created_at', updatedAt: 'updated_at' } as const
