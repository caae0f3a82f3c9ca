// Signing in over HTTP with supertest agents, and the demo accounts every role has.
import * as cheerio from 'cheerio'
import type { Express } from 'express'
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

export async function signIn(app: Express, email: string, password = DEMO_PASSWORD): Promise<Agent> {
  const agent = request.agent(app)
  const _csrf = await csrfTokenFrom(agent, '/sign-in')
  const res = await agent.post('/sign-in').type('form').send({ _csrf, email, password })
  if (res.status !== 303) throw new Error(`sign-in as ${email} answered ${res.status}`)
  return agent
}
