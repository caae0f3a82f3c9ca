// Typed locals and session, so templates and handlers agree on their shape.
import 'express-session'
import type { SessionUser } from '../domain/roles'

declare module 'express-session' {
  interface SessionData {
    /** When this session was created (ms since epoch), for the absolute timeout. */
    createdAt?: number
    /** csrf-sync keeps the synchroniser token here. */
    csrfToken?: string
  }
}

export interface NavigationItem {
  href: string
  text: string
  current: boolean
}

declare global {
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}

    interface Locals {
      cspNonce: string
      /** Returns this session's CSRF token, creating it on first use (so pages without forms make no session). */
      csrfTokenFor: () => string
      demo: boolean
      currentPath: string
      /** The signed-in user, for the header and pages. */
      user?: SessionUser
      /** The header's menu, for the signed-in user's roles. */
      navigation?: NavigationItem[]
    }
  }
}

export {}
