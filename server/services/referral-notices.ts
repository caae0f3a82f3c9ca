// The emails about a referral (views/emails/referral-*.hbs): to the receiving organisation's active members or to the
// referrer, each with a link to the referral and never any personal details. Each says whether every email went.
import type { Mailer } from '../data/mail/mailer'
import type { ReferralRecord } from '../domain/referral-records'
import { paths, pathFor } from '../paths'
import { createNotifier } from './notifier'

export function createReferralNotices(deps: {
  mailer: Mailer
  /** Email addresses of the active members of a directory organisation. */
  organisationEmails: (organisationId: string) => Promise<string[]>
  publicUrl: string
}) {
  const notifier = createNotifier(deps)
  const path = (r: Pick<ReferralRecord, 'id'>) => pathFor(paths.referral, { referralId: r.id })

  async function tellVco(r: Pick<ReferralRecord, 'id' | 'organisationId'>, email: string, data: object) {
    const to = await deps.organisationEmails(r.organisationId)
    return (await notifier.send(email, to, { ...data, path: path(r) })).failed === 0
  }

  async function tellReferrer(r: Pick<ReferralRecord, 'id' | 'referrer'>, email: string, data: object) {
    return (await notifier.send(email, [r.referrer.email], { ...data, path: path(r) })).failed === 0
  }

  return { notifier, tellVco, tellReferrer }
}

export type ReferralNotices = ReturnType<typeof createReferralNotices>
