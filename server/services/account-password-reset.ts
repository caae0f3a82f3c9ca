// Password resets: a link sent only to an active account, at most a few per address, answered alike whether or not
// the address has an account; using it sets the password and ends every session.
import { ValidationError } from '../errors'
import { createLogger } from '../logger'
import { paths } from '../paths'
import { normaliseEmail, sha256, signInKey, type AccountContext } from './account-context'
import { createBackgroundWrites } from './background-writes'
import { hashPassword, passwordProblem } from './password'

const log = createLogger('accounts')
/** Reset links sent to one address within one link lifetime; further requests are answered alike but send nothing. */
const RESETS_PER_WINDOW = 3

export function createPasswordResets(context: AccountContext) {
  const { accounts, audit, settings, clock, notifier, link, issueToken } = context
  const background = createBackgroundWrites()

  async function sendPasswordReset(email: string, ip: string | null): Promise<void> {
    const now = clock()
    const key = `password-reset:${sha256(email)}`
    await accounts.recordAttempt(key, now)
    const recent = await accounts.countAttempts(key, new Date(now.getTime() - settings.passwordResetMs))
    const user = await accounts.findUserByEmail(email)
    const send = user && user.status === 'active' && recent <= RESETS_PER_WINDOW
    if (send) {
      const secret = await issueToken('password-reset', user.id, null)
      await notifier.send('password-reset', user.email, {
        link: link(paths.resetPassword, secret),
        minutes: Math.round(settings.passwordResetMs / 60_000),
      })
    }
    await audit.record({
      actor: user ? { id: user.id, email: user.email } : null,
      actorEmail: email,
      action: 'password-reset.requested',
      recordType: user ? 'user' : undefined,
      recordId: user?.id,
      ip,
      detail: user && !send && user.status === 'active' ? { sent: false, reason: 'too many requests' } : undefined,
    })
  }

  return {
    /**
     * Sends a reset link when the address has an active account. Returns at once, before the lookup: the answer, and
     * how long it takes, must not depend on whether the address has an account or on the email. The work runs in
     * the background (settled() waits for it); at most RESETS_PER_WINDOW links go to one address per link lifetime.
     */
    requestPasswordReset(emailInput: string, ip: string | null): void {
      background.start(async () => {
        try {
          await sendPasswordReset(normaliseEmail(emailInput), ip)
        } catch (error) {
          log.error({ err: error }, 'password reset request failed')
        }
      })
    },

    /** Resolves when background work (password reset emails) started so far has ended. */
    settled: () => background.settled(),

    async passwordResetUsable(secret: string): Promise<boolean> {
      return Boolean(await accounts.findUsableToken(sha256(secret), 'password-reset', clock()))
    },

    /** Sets a new password and ends every session; false when the link is unknown, used or expired. */
    async resetPassword(secret: string, password: string, ip: string | null): Promise<boolean> {
      const token = await accounts.findUsableToken(sha256(secret), 'password-reset', clock())
      if (!token) return false
      const user = await accounts.findUserById(token.userId)
      if (!user || user.status !== 'active') return false
      const problem = passwordProblem(password, { email: user.email })
      if (problem) throw new ValidationError({ password: problem })
      const hash = await hashPassword(password)
      if (!(await accounts.useToken(token.id, 'password-reset', clock()))) return false
      await accounts.setPassword(user.id, hash)
      await accounts.clearAttempts(signInKey(user.email))
      await audit.recordOn(user, 'password-reset.completed', 'user', user.id, ip)
      return true
    },
  }
}
