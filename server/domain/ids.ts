// Identifiers are UUIDs (Open Referral UK requires them). Seeded data uses name-based (v5) UUIDs so it is stable.
import crypto from 'node:crypto'

/** Namespace for every name-based id Loopwell derives (a fixed random UUID). */
export const LOOPWELL_NAMESPACE = '6f1d2c1e-4b7a-4f0e-9a59-2d3b8c1f7e42'

export function newId(): string {
  return crypto.randomUUID()
}

/** RFC 4122 version 5 UUID: the same name always gives the same id. */
export function nameUuid(name: string, namespace: string = LOOPWELL_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex')
  const hash = crypto.createHash('sha1').update(ns).update(name, 'utf8').digest()
  const bytes = hash.subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

export function isUuid(value: string): boolean {
  return UUID.test(value)
}
