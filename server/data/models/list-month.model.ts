// The months in which a bucketed collection (referrals, signpostings, people, audit events) has documents:
// `_id` is `<collection>:<YYYY-MM>`. Lists page through such a collection month by month, newest first, selecting
// by equality on the document's `month` field, so no list reads a whole collection (see repositories/month-pages.ts).
// Insert-only: a month, once listed, stays listed.
import { Schema, type Connection } from 'mongoose'
import { required } from './fields'

export const listMonthSchema = new Schema(
  {
    _id: required(String),
    collectionName: { type: String, required: true, index: true },
    month: required(String),
  },
  { collection: 'list_months', versionKey: false },
)

export function createListMonthModel(connection: Connection) {
  return connection.model('ListMonth', listMonthSchema)
}
