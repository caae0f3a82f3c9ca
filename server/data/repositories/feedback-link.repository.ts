// Feedback links: stored by the hash of their secret; used once by inserting a "use" document (see the model).
import type { Connection } from 'mongoose'
import { insertOnce } from '../atomic'
import { createFeedbackLinkModel } from '../models/feedback-link.model'

export interface FeedbackLinkRecord {
  hash: string
  referralId: string
  expiresAt: Date
  measureIds: string[]
  channel: 'email' | 'text' | 'copy'
  usedAt: Date | null
  createdBy: string | null
}

export function createFeedbackLinkRepository(connection: Connection) {
  const FeedbackLink = createFeedbackLinkModel(connection)
  return {
    async create(link: Omit<FeedbackLinkRecord, 'usedAt'>): Promise<void> {
      const { hash, ...rest } = link
      await FeedbackLink.create({ _id: hash, kind: 'link', ...rest, usedAt: null })
    },

    /** The link, with usedAt set if it has been used. Null if there is no such link. */
    async find(hash: string): Promise<FeedbackLinkRecord | null> {
      const [doc, use] = await Promise.all([
        FeedbackLink.findById(hash).lean(),
        FeedbackLink.findById(`${hash}:used`).lean(),
      ])
      if (!doc || doc.kind !== 'link') return null
      return {
        hash,
        referralId: doc.referralId,
        expiresAt: doc.expiresAt,
        measureIds: doc.measureIds ?? [],
        channel: doc.channel ?? 'copy',
        usedAt: use?.usedAt ?? doc.usedAt ?? null,
        createdBy: doc.createdBy ?? null,
      }
    },

    /** Marks the link used. Exactly one of several concurrent callers gets true. */
    async use(link: FeedbackLinkRecord, now: Date): Promise<boolean> {
      const use = { _id: `${link.hash}:used`, kind: 'use', referralId: link.referralId, expiresAt: link.expiresAt }
      if (!(await insertOnce(FeedbackLink, { ...use, usedAt: now }))) return false
      await FeedbackLink.updateOne({ _id: link.hash }, { $set: { usedAt: now } })
      return true
    },

    /** Makes a used link usable again, when the answers it was used for could not be stored. */
    async unuse(link: FeedbackLinkRecord): Promise<void> {
      await FeedbackLink.updateOne({ _id: link.hash }, { $set: { usedAt: null } })
      await FeedbackLink.deleteOne({ _id: `${link.hash}:used` })
    },
  }
}

export type FeedbackLinkRepository = ReturnType<typeof createFeedbackLinkRepository>
