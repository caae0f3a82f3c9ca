// Typed locals and session, so templates and handlers agree on their shape.
import 'express-session'

declare module 'express-session' {
  interface SessionData {
    /** When this session was created (ms since epoch), for the absolute timeout. */
    createdAt?: number
    /** csrf-sync keeps the synchroniser token here. */
    csrfToken?: string
  }
}

declare global {
  namespace Express {
    interface Locals {
      cspNonce: string
      /** Returns this session's CSRF token, creating it on first use (so pages without forms make no session). */
      csrfTokenFor: () => string
      demo: boolean
      currentPath: string
    }
  }
}

export {}
