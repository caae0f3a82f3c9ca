// The person's own feedback: a signed, expiring, single-use link (no account) that asks "Did you go? Did it help?
// Anything else you need?" in plain words, and can carry the wellbeing follow-up. The link holds a random secret;
// only its SHA-256 is stored. Answers land on the referral through a port the referral side provides.
// Emails and texts carry no personal health information: no service name, only the link.
import crypto from 'node:crypto'
import { newId } from '../../domain/ids'
import type { Mailer } from '../../data/mail/mailer'
import type { FeedbackLinkRecord, FeedbackLinkRepository } from '../../data/repositories/feedback-link.repository'
import { ServiceUnavailableError, type FieldErrors } from '../../errors'
import { paths, pathFor } from '../../paths'
import { formatDate } from '../dates'
import type { AuditService } from '../audit.service'
import { createNotifier } from '../notifier'
import { fieldName, type Instrument } from '../measures/instrument'
import { findInstrument, measureFormView, scoreMeasure, type MeasureRecord } from '../measures/measures'
import type { BenefitRating, PersonFeedback, WentAnswer } from './outcome'

export const DEFAULT_FEEDBACK_LINK_DAYS = 28

/** What the referral side offers the feedback link: names to show, and where the answers go. */
export interface FeedbackReferralPort {
  /** The service and organisation names for the page (no personal details); null if the referral is gone. */
  describe(referralId: string): Promise<{ serviceName: string; organisationName: string } | null>
  /** Writes the person's answers, and any measures they completed, onto the referral. */
  recordPersonFeedback(referralId: string, feedback: PersonFeedback, measures: MeasureRecord[]): Promise<void>
}

export interface FeedbackAnswers {
  went: WentAnswer
  helped: BenefitRating | null
  anythingElse: string
}

export interface IssuedLink {
  url: string
  expiresAt: Date
  /** To copy into a text message (SMS): plain words, the link, no health information. */
  smsText: string
  emailSubject: string
  emailText: string
}

function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex')
}

/**
 * A measure the person may skip: all blank is skipped (null); partly answered gets one message, on the first question
 * left out, saying to answer all or none (not one error per blank question); all answered is validated as usual.
 */
export function optionalMeasure(
  instrument: Instrument,
  body: Record<string, unknown>,
): { skipped: true } | ReturnType<typeof scoreMeasure> {
  const fields = instrument.items.map((i) => fieldName(instrument, i))
  const blank = (f: string) => body[f] === undefined || body[f] === ''
  const answered = fields.filter((f) => !blank(f)).length
  if (answered === 0) return { skipped: true }
  if (answered < fields.length) {
    const first = fields.find(blank)!
    return {
      ok: false,
      errors: {
        [first]: `Answer all ${fields.length} wellbeing questions, or leave them all blank to skip them. You answered ${answered}.`,
      },
    }
  }
  return scoreMeasure(instrument, body)
}

export function createPersonFeedbackService(deps: {
  links: FeedbackLinkRepository
  referrals: FeedbackReferralPort
  audit: AuditService
  mailer: Mailer
  publicUrl: string
  linkDays?: number
  clock?: () => Date
}) {
  const clock = deps.clock ?? (() => new Date())
  const notifier = createNotifier(deps)
  const days = deps.linkDays ?? DEFAULT_FEEDBACK_LINK_DAYS

  /** The link when it may be answered; 'used' when it has been; null when unknown or out of date. */
  async function usable(token: string): Promise<FeedbackLinkRecord | 'used' | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null
    const link = await deps.links.find(sha256(token))
    if (!link) return null
    if (link.usedAt) return 'used'
    return link.expiresAt <= clock() ? null : link
  }

  function measuresFor(link: FeedbackLinkRecord) {
    return link.measureIds.map((id) => findInstrument(id)).filter((m) => m !== undefined)
  }

  return {
    /**
     * Makes a new link for a referral. The caller has checked the actor may act on this referral. With an email
     * address, sends it too (channel 'email'); otherwise returns the words to copy into a text message.
     */
    async issue(
      actor: { id: string; email: string },
      referralId: string,
      options: { measureIds?: string[]; sendTo?: string | null; channel?: 'email' | 'text' | 'copy' },
      ip: string | null,
    ): Promise<IssuedLink> {
      const secret = crypto.randomBytes(32).toString('base64url')
      const expiresAt = new Date(clock().getTime() + days * 24 * 60 * 60 * 1000)
      const measureIds = (options.measureIds ?? []).filter((id) => findInstrument(id))
      const channel = options.sendTo ? 'email' : (options.channel ?? 'copy')
      await deps.links.create({ hash: sha256(secret), referralId, expiresAt, measureIds, channel, createdBy: actor.id })
      const url = `${deps.publicUrl}${pathFor(paths.feedback, { token: secret })}`
      const until = formatDate(expiresAt)
      const email = notifier.render('person-feedback', { link: url, until })
      const issued: IssuedLink = {
        url,
        expiresAt,
        smsText: `Hello, this is your social prescribing team. Did you go, and did it help? Tell us in a minute here (works once, until ${until}): ${url}`,
        emailSubject: email.subject,
        emailText: email.text,
      }
      if (options.sendTo) {
        const sent = await notifier.send('person-feedback', options.sendTo, { link: url, until })
        if (sent.failed) throw new ServiceUnavailableError('The feedback email could not be sent. Try again later.')
      }
      await deps.audit.recordOn(actor, 'referral.changed', 'referral', referralId, ip, {
        action: 'feedback-link',
        channel,
        measures: measureIds,
      })
      return issued
    },

    /** What the feedback page shows; 'used' when the link has been answered; null when unknown or expired. */
    async open(token: string) {
      const link = await usable(token)
      if (!link || link === 'used') return link
      const about = await deps.referrals.describe(link.referralId)
      if (!about) return null
      return { ...about, measures: measuresFor(link).map((m) => measureFormView(m)) }
    },

    /**
     * Records the person's answers once. Measures are optional: all blank skips one; partly answered is refused per
     * item. Returns 'used' when the link has been answered (including by a second submission racing this one: one
     * of them stores its answers), 'expired' when it is unknown or out of date, or the field errors to show.
     */
    async answer(
      token: string,
      answers: FeedbackAnswers,
      body: Record<string, unknown>,
      ip: string | null,
    ): Promise<
      | { ok: true }
      | { ok: false; errors: FieldErrors; measures: ReturnType<typeof measureFormView>[] }
      | 'expired'
      | 'used'
    > {
      const link = await usable(token)
      if (!link) return 'expired'
      if (link === 'used') return 'used'
      const now = clock()
      const errors: FieldErrors = {}
      const measures: MeasureRecord[] = []
      const instruments = measuresFor(link)
      for (const m of instruments) {
        const scored = optionalMeasure(m, body)
        if ('skipped' in scored) continue
        if (!scored.ok) Object.assign(errors, scored.errors)
        else {
          measures.push({
            id: newId(),
            instrumentId: m.id,
            timing: 'follow-up',
            at: now,
            answers: scored.answers,
            scores: scored.scores,
            source: 'person',
            by: null,
          })
        }
      }
      if (Object.keys(errors).length) {
        return { ok: false, errors, measures: instruments.map((m) => measureFormView(m, body, errors)) }
      }
      if (!(await deps.links.use(link, now))) return 'used'
      const feedback: PersonFeedback = {
        at: now,
        went: answers.went,
        helped: answers.went === 'no' ? null : answers.helped,
        anythingElse: answers.anythingElse.trim(),
      }
      try {
        await deps.referrals.recordPersonFeedback(link.referralId, feedback, measures)
      } catch (error) {
        // Not stored: the link works again, so the person can send the same answers once more.
        await deps.links.unuse(link)
        throw error
      }
      await deps.audit.recordOn(null, 'referral.changed', 'referral', link.referralId, ip, {
        action: 'person-feedback',
        measures: measures.map((m) => m.instrumentId),
      })
      return { ok: true }
    },
  }
}

export type PersonFeedbackService = ReturnType<typeof createPersonFeedbackService>
