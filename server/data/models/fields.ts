// The kinds of field the models are made of. An optional value is stored as null and a list as [] rather than left
// out, so every document of a collection has the same fields.
import { Schema, type SchemaDefinition } from 'mongoose'

/** A field every document has. */
export const required = <T>(type: T) => ({ type, required: true }) as const
/** A field that may have no value: null until it has one. */
export const nullable = <T>(type: T) => ({ type, default: null }) as const
/** A list of values: empty until it has some. */
export const list = <T>(type: T) => ({ type: [type], default: [] }) as const

/** A document kept inside another, without an `_id` of its own (the directory's carry their own UUID `id`, as HSDS does). */
export const subSchema = <const T extends SchemaDefinition>(definition: T) => new Schema(definition, { _id: false })
