// Signing in and out: a password checked at most so many times per address and per network, sessions that can all
// be ended at once, and the session's user read back on each request.
import type { SessionUser } from '../domain/roles'
import { normaliseEmail, sha256, signInKey, toSessionUser, type AccountContext } from './account-context'
import type { Actor, SignInResult } from './account.service'
import { verifyAgainstNothing, verifyPassword } from './password'

const NETWORK_WINDOW_MS = 15 * 60_000

export function createSignIn({ accounts, audit, settings, clock }: AccountContext) {
  return {
    /**
     * Checks a password, at most `maxFailures` times per address in any `lockMs` window however many requests arrive at
     * once: each attempt is recorded before it is counted, so of N concurrent attempts the k-th recorded sees a count of
     * at least k, and attempts beyond the limit are refused without checking the password.
     */
    async signIn(input: { email: string; password: string; ip: string | null }): Promise<SignInResult> {
      const email = normaliseEmail(input.email)
      const key = signInKey(email)
      const now = clock()
      const minutes = Math.ceil(settings.signIn.lockMs / 60_000)
      await accounts.recordAttempt(key, now)
      const attempt = await accounts.countAttempts(key, new Date(now.getTime() - settings.signIn.lockMs))
      const user = await accounts.findUserByEmail(email)
      const who = user ? { id: user.id, email: user.email } : null

      if (attempt > settings.signIn.maxFailures) {
        await audit.record({ actor: who, actorEmail: email, action: 'sign-in.locked', ip: input.ip })
        return { outcome: 'locked', minutes }
      }

      const ok =
        user && user.status === 'active' && user.passwordHash
          ? await verifyPassword(user.passwordHash, input.password)
          : await verifyAgainstNothing(input.password)

      if (ok && user) {
        await accounts.clearAttempts(key)
        await accounts.recordSignIn(user.id, now)
        await audit.recordOn(who, 'sign-in.success', 'user', user.id, input.ip)
        return { outcome: 'success', user: toSessionUser(user) }
      }

      const lockNow = attempt >= settings.signIn.maxFailures
      await audit.record({
        actor: who,
        actorEmail: email,
        action: 'sign-in.failure',
        ip: input.ip,
        detail: { failures: attempt, locked: lockNow },
      })
      return lockNow ? { outcome: 'locked', minutes } : { outcome: 'invalid' }
    },

    /**
     * Counts one sign-in, reset or invitation form sent from a network; false once it has sent more than
     * `perNetworkPer15Minutes` in 15 minutes. Counted in the database like sign-ins, so exact under concurrency and
     * shared by every instance.
     */
    async networkAttemptAllowed(ip: string | null): Promise<boolean> {
      const now = clock()
      const key = `network:${sha256(ip ?? 'unknown')}`
      await accounts.recordAttempt(key, now)
      const count = await accounts.countAttempts(key, new Date(now.getTime() - NETWORK_WINDOW_MS))
      return count <= settings.signIn.perNetworkPer15Minutes
    },

    /** Forgets attempts older than every window that counts them (a scheduled job). */
    async removeOldAttempts(now: Date): Promise<number> {
      return accounts.removeAttemptsBefore(
        new Date(now.getTime() - Math.max(settings.signIn.lockMs, NETWORK_WINDOW_MS)),
      )
    },

    /** The user behind a session, or null when the account is gone, disabled or its sessions were ended. */
    async sessionUser(id: string, sessionVersion: number): Promise<SessionUser | null> {
      const user = await accounts.findUserById(id)
      if (!user || user.status !== 'active' || user.sessionVersion !== sessionVersion) return null
      return toSessionUser(user)
    },

    async signedOut(user: Actor, ip: string | null): Promise<void> {
      await audit.recordOn(user, 'sign-out', 'user', user.id, ip)
    },

    async signOutEverywhere(user: Actor, ip: string | null): Promise<void> {
      await accounts.bumpSessionVersion(user.id)
      await audit.recordOn(user, 'sign-out.everywhere', 'user', user.id, ip)
    },
  }
}
