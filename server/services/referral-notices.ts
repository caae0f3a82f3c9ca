// The emails about a referral: to the receiving organisation's active members or to the referrer, each with a link
// to the referral and never any personal details.
import type { Mailer } from '../data/mail/mailer'
import type { ReferralRecord } from '../domain/referral-records'
import { paths, pathFor } from '../paths'

export function createReferralNotices(deps: {
  mailer: Mailer
  /** Email addresses of the active members of a directory organisation. */
  organisationEmails: (organisationId: string) => Promise<string[]>
  publicUrl: string
}) {
  const link = (id: string) => `${deps.publicUrl}${pathFor(paths.referral, { referralId: id })}`
  async function send(to: string[], subject: string, text: string) {
    for (const address of to) {
      await deps.mailer.send({ to: address, subject, text })
    }
  }

  async function tellVco(r: Pick<ReferralRecord, 'id' | 'organisationId'>, subject: string, what: string) {
    const to = await deps.organisationEmails(r.organisationId)
    await send(to, subject, `${what}\n\nSign in to see it: ${link(r.id)}\n\nThis email has no personal details.`)
  }

  async function tellReferrer(r: Pick<ReferralRecord, 'id' | 'referrer'>, subject: string, what: string) {
    await send(
      [r.referrer.email],
      subject,
      `${what}\n\nSign in to see it: ${link(r.id)}\n\nThis email has no personal details.`,
    )
  }

  return { tellVco, tellReferrer }
}

export type ReferralNotices = ReturnType<typeof createReferralNotices>
