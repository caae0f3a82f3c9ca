// Passport with our own Authenticator (not the global one). The local strategy checks email and password through
// AccountService; an OpenID Connect strategy (NHS CIS2, NHSmail) can be added beside it with `use('oidc', …)`, calling
// a service method that finds the account by its verified email.
// The session keeps only the user's id and session version; every request reloads the user, so a role change,
// a disabled account or "sign out everywhere" takes effect at once.
import { Passport } from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import type { AccountService } from '../../services/account.service'
import { ipOf } from '../actor'

interface SessionPointer {
  id: string
  v: number
}

export function createPassport(accounts: AccountService) {
  const passport = new Passport()
  passport.use(
    'local',
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: true },
      (req, email, password, done) => {
        accounts
          .signIn({ email, password, ip: ipOf(req) })
          .then((result) =>
            result.outcome === 'success'
              ? done(null, result.user)
              : done(null, false, { message: result.outcome, ...result }),
          )
          .catch((error: unknown) => done(error))
      },
    ),
  )
  passport.serializeUser<SessionPointer>((user, done) => done(null, { id: user.id, v: user.sessionVersion }))
  passport.deserializeUser<SessionPointer>((pointer, done) => {
    if (!pointer || typeof pointer.id !== 'string' || typeof pointer.v !== 'number') return done(null, false)
    accounts
      .sessionUser(pointer.id, pointer.v)
      .then((user) => done(null, user ?? false))
      .catch((error: unknown) => done(error))
  })
  return passport
}

export type AppPassport = ReturnType<typeof createPassport>
