// The kinds of field the models are made of. An optional value is stored as null and a list as [] rather than left
// out, so every document of a collection has the same fields.
import { Schema, type SchemaDefinition, type SchemaOptions } from 'mongoose'

/** A field every document has. */
export const required = <T>(type: T) => ({ type, required: true }) as const
/** A field that may have no value: null until it has one. */
export const nullable = <T>(type: T) => ({ type, default: null }) as const
/** A list of values: empty until it has some. */
export const list = <T>(type: T) => ({ type: [type], default: [] }) as const

/**
 * A collection's documents. Each `_id` is a string the app makes (a UUID, a hash, or a key that says what the
 * document is), and there is no version key: a record that needs versions keeps its own `version`.
 */
export function collectionSchema<const T extends SchemaDefinition, O extends SchemaOptions = object>(
  collection: string,
  definition: T,
  options?: O,
) {
  return new Schema(
    { _id: required(String), ...definition },
    { collection, versionKey: false as const, ...(options as O) },
  )
}

/** An index on each field alone, in this order: for the fields that lists select by equality. */
export function indexEach(schema: Schema, fields: readonly string[]) {
  for (const field of fields) schema.index({ [field]: 1 })
}

/** A document kept inside another, without an `_id` of its own (the directory's carry a UUID `id`, as HSDS does). */
export const subSchema = <const T extends SchemaDefinition>(definition: T) => new Schema(definition, { _id: false })
