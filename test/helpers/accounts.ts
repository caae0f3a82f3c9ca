// Signing in over HTTP with supertest agents, and the demo accounts every role has.
import * as cheerio from 'cheerio'
import type { Express } from 'express'
import type { IncomingMessage, ServerResponse } from 'node:http'
import request from 'supertest'
import { DEMO_PASSWORD } from '../../server/services/demo-accounts'

export type Agent = ReturnType<typeof request.agent>

/** The CSRF token of a page with a form, read from its hidden `_csrf` field. */
export async function csrfTokenFrom(agent: Agent, path: string): Promise<string> {
  const res = await agent.get(path)
  const token = cheerio.load(res.text)('input[name="_csrf"]').first().val()
  if (typeof token !== 'string') throw new Error(`no CSRF token on ${path} (status ${res.status})`)
  return token
}

async function signInWith(agent: Agent, email: string, password: string): Promise<Agent> {
  const _csrf = await csrfTokenFrom(agent, '/sign-in')
  const res = await agent.post('/sign-in').type('form').send({ _csrf, email, password })
  if (res.status !== 303) throw new Error(`sign-in as ${email} answered ${res.status}`)
  return agent
}

export async function signIn(app: Express, email: string, password = DEMO_PASSWORD): Promise<Agent> {
  return signInWith(request.agent(app), email, password)
}

/**
 * An agent signed in as `email` in a `before` hook of the suite it is made in (after the app's own hooks), so a
 * suite declares its users in one line each: `const lw = useSignedIn(t, LINK_WORKER)`. The agent reaches the app
 * through a handler that looks it up per request, so it can be made before the app exists.
 */
export function useSignedIn(t: { app: Express }, email: string, password = DEMO_PASSWORD): Agent {
  const agent = request.agent((req: IncomingMessage, res: ServerResponse) => t.app(req as never, res as never))
  before(async function () {
    this.timeout(60_000)
    await signInWith(agent, email, password)
  })
  return agent
}

/** A fresh agent on a page with a form, and its post with the page's CSRF token (as often as a test needs). */
export async function formOn(app: Express, path: string) {
  const agent = request.agent(app)
  const _csrf = await csrfTokenFrom(agent, path)
  return {
    agent,
    post: (fields: Record<string, string>) =>
      agent
        .post(path)
        .type('form')
        .send({ _csrf, ...fields }),
  }
}
