// The months in which a bucketed collection (referrals, signpostings, people, audit events) has documents:
// `_id` is `<collection>:<YYYY-MM>`. Lists page through such a collection month by month, newest first, selecting
// by equality on the document's `month` field, so no list reads a whole collection (see repositories/month-pages.ts).
// Insert-only: a month, once listed, stays listed.
import type { Connection } from 'mongoose'
import { collectionSchema, required } from './fields'

export const listMonthSchema = collectionSchema('list_months', {
  collectionName: { type: String, required: true, index: true },
  month: required(String),
})

export function createListMonthModel(connection: Connection) {
  return connection.model('ListMonth', listMonthSchema)
}
