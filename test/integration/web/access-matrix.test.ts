// The authorisation matrix: every route of the app (read from Express's router, so new routes are covered without
// editing this file) requested as every role and anonymously, checked against server/web/access.ts.
import { expect } from 'chai'
import type { Express } from 'express'
import request from 'supertest'
import { DEMO_ANCHORS } from '../../../server/data/demo/generate'
import { nameUuid } from '../../../server/domain/ids'
import { pathFor } from '../../../server/paths'
import { DEMO_TEAM, DEMO_USERS, DEMO_VCO } from '../../../server/services/demo-accounts'
import { DEMO_CHANGE_REQUEST_ID, DEMO_REPORT_ID } from '../../../server/services/demo-listings'
import { DEMO_PEOPLE, DEMO_REFERRALS } from '../../../server/services/demo-referrals'
import { DEMO_EPISODES } from '../../../server/services/episodes/demo-episodes'
import { ROUTE_ACCESS, findRouteAccess, isAllowed, type RouteAccess } from '../../../server/web/access'
import { useTestApp } from '../../helpers/app'
import { csrfTokenFrom, signIn, type Agent } from '../../helpers/accounts'

interface RouteEntry {
  method: string
  path: string
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> }
  handle?: { stack?: Layer[] }
}

/** Every method and path registered on the app's routers (nested routers are mounted at the root). */
export function registeredRoutes(app: Express): RouteEntry[] {
  const out: RouteEntry[] = []
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]
        for (const path of paths)
          for (const [method, on] of Object.entries(layer.route.methods))
            if (on && method !== '_all') out.push({ method: method.toUpperCase(), path })
      } else if (layer.handle?.stack) walk(layer.handle.stack)
    }
  }
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack)
  return out
}

/** Sample values of a parameter that means different things on different routes. */
const SAMPLES_BY_ROUTE: Record<string, Record<string, string>> = {
  // A closing action both sides may take on the sample referral (it is new).
  '/referrals/:referralId/close/:action': { action: 'withdraw' },
  '/episodes/:episodeId/do/:action': { action: 'contact' },
  // A member of the sample organisation, whose account its managers may switch off and on.
  '/organisations/:organisationId/colleagues/:userId/status': { userId: nameUuid('demo:user:vco-member') },
}

/** Sample values for route parameters. A new parameter name needs a sample here. */
const SAMPLES: Record<string, string> = {
  token: 'not-a-real-token',
  id: DEMO_ANCHORS.walkingGroup,
  userId: nameUuid('demo:user:link-worker'),
  organisationId: DEMO_VCO.id,
  organizationId: DEMO_VCO.id,
  // Hendon Community Lunch, an Age Well Barnet listing, and the demo's pending change and problem report.
  serviceId: '2097ea16-d796-54d2-8f38-718a3129255b',
  changeRequestId: DEMO_CHANGE_REQUEST_ID,
  reportId: DEMO_REPORT_ID,
  personId: DEMO_PEOPLE.margaret,
  referralId: DEMO_REFERRALS.new,
  format: 'txt',
  report: 'activity',
  table: 'by-need',
  // An open demo episode of the demo team, one of its actions, and the message sent to its GP practice at triage.
  episodeId: DEMO_EPISODES.active,
  messageId: nameUuid(`episode-message:${DEMO_EPISODES.active}:triage`),
}

type Persona = 'anonymous' | (typeof DEMO_USERS)[number]['key']
const PERSONAS: Persona[] = ['anonymous', ...DEMO_USERS.map((u) => u.key)]

/** Rows whose service narrows access further than the roles in the table, as these sample ids exercise it. */
const SCOPE: Record<string, (persona: Persona) => boolean> = {
  '/organisations/:organisationId/colleagues': (p) => p === 'admin' || p === 'vco-manager',
  '/organisations/:organisationId/colleagues/:userId/status': (p) => p === 'admin' || p === 'vco-manager',
  // The demo referral was sent by the demo link worker's team to Age Well Barnet, whose staff both VCO demo users are.
  '/referrals/:referralId': (p) => ['link-worker', 'vco-member', 'vco-manager'].includes(p),
  '/referrals/:referralId/messages': (p) => ['link-worker', 'vco-member', 'vco-manager'].includes(p),
  '/referrals/:referralId/close/:action': (p) => ['link-worker', 'vco-member', 'vco-manager'].includes(p),
  // The worklist: the demo link worker's team sent the sample referral.
  '/worklist/:referralId/done': (p) => p === 'link-worker',
}

/** Whether the demo referral and person in SAMPLES exist in this build (the demo data), set before the matrix runs. */
const seeded = { referral: false, summary: false }
const REFERRAL_SIDES_PERSONAS: Persona[] = ['link-worker', 'vco-member', 'vco-manager']
// Outcomes: the sample referral's referring team and receiving organisation; the sample person's practice.
for (const path of [
  '/referrals/:referralId/outcome',
  '/referrals/:referralId/measures',
  '/referrals/:referralId/feedback-link',
]) {
  SCOPE[path] = (p) => seeded.referral && REFERRAL_SIDES_PERSONAS.includes(p)
}
for (const path of ['/practice/people/:personId/summary', '/practice/people/:personId/summary/:format']) {
  SCOPE[path] = (p) => seeded.summary && p === 'gp'
}

function expectedAllowed(rule: RouteAccess, persona: Persona): boolean {
  const user = DEMO_USERS.find((u) => u.key === persona)
  const byRole = isAllowed(rule, user)
  return byRole && (SCOPE[rule.path]?.(persona) ?? true)
}

function denied(res: request.Response): boolean {
  if ([401, 403, 404].includes(res.status)) return true
  return res.status >= 300 && res.status < 400 && String(res.headers.location).startsWith('/sign-in?next=')
}

describe('The authorisation matrix', () => {
  const t = useTestApp('access_matrix', { DEMO: 'true' })
  const agents = new Map<Persona, Agent>()

  before(async () => {
    seeded.referral = (await t.services.outcomes.feedbackPort.describe(SAMPLES.referralId!)) !== null
    const gp = DEMO_USERS.find((u) => u.key === 'gp')!
    seeded.summary = await t.services.outcomes
      .summary({ ...gp, id: 'matrix', name: 'matrix' }, SAMPLES.personId!, null, false)
      .then(() => true)
      .catch(() => false)
  })

  async function agentFor(persona: Persona): Promise<Agent> {
    let agent = agents.get(persona)
    if (!agent) {
      const user = DEMO_USERS.find((u) => u.key === persona)
      agent = user ? await signIn(t.app, user.email) : request.agent(t.app)
      agents.set(persona, agent)
    }
    return agent
  }

  it('has a row in the access table for every route the app registers, and no row without a route', () => {
    const routes = registeredRoutes(t.app)
    expect(routes.length).to.be.greaterThan(20)
    const missing = routes.filter((r) => !ROUTE_ACCESS.some((a) => a.method === r.method && a.path === r.path))
    expect(missing, 'routes missing from server/web/access.ts').to.deep.equal([])
    const stale = ROUTE_ACCESS.filter((a) => !routes.some((r) => r.method === a.method && r.path === a.path))
    expect(stale, 'rows in server/web/access.ts with no route').to.deep.equal([])
  })

  it('answers 404 for a method and path that has no row, whoever asks', async () => {
    expect(findRouteAccess('POST', '/account')).to.equal(undefined)
    await (await agentFor('admin')).post('/account').set('x-csrf-token', 'x').expect(403)
    const admin = await agentFor('admin')
    const _csrf = await csrfTokenFrom(admin, '/account')
    await admin.post('/account').type('form').send({ _csrf }).expect(404)
  })

  describe('every route as every role', () => {
    for (const rule of ROUTE_ACCESS) {
      it(`${rule.method} ${rule.path}`, async function () {
        this.timeout(60_000)
        const params = Object.fromEntries(
          [...rule.path.matchAll(/:([A-Za-z]+)/g)].map(([, name]) => {
            const sample = SAMPLES_BY_ROUTE[rule.path]?.[name!] ?? SAMPLES[name!]
            if (!sample) throw new Error(`add a sample value for :${name} to the matrix test`)
            return [name!, sample]
          }),
        )
        const url = pathFor(rule.path, params)
        const problems: string[] = []
        for (const persona of PERSONAS) {
          const agent = await agentFor(persona)
          let res: request.Response
          if (rule.method === 'GET') res = await agent.get(url)
          else {
            const _csrf = await csrfTokenFrom(agent, '/sign-in')
            res = await agent.post(url).type('form').send({ _csrf })
          }
          const allowed = expectedAllowed(rule, persona)
          if (allowed === denied(res)) {
            problems.push(`${persona}: expected ${allowed ? 'allowed' : 'denied'}, got ${res.status}`)
          }
          if (res.status >= 500) problems.push(`${persona}: ${res.status}`)
          // Signing out (or out everywhere) ends this persona's session: sign in afresh for the next route.
          if (persona !== 'anonymous' && rule.method === 'POST' && allowed) agents.delete(persona)
        }
        expect(problems).to.deep.equal([])
      })
    }
  })

  describe('changing an id in the URL', () => {
    it("does not show another organisation's colleagues, and answers as for one that does not exist", async () => {
      const manager = await agentFor('vco-manager')
      const other = await manager.get(
        pathFor('/organisations/:organisationId/colleagues', { organisationId: DEMO_TEAM.id }),
      )
      const missing = await manager.get(
        pathFor('/organisations/:organisationId/colleagues', { organisationId: nameUuid('no such organisation') }),
      )
      expect(other.status).to.equal(404)
      expect(missing.status).to.equal(404)
      expect(other.text.replace(/nonce="[^"]+"|value="[^"]+"/g, '')).to.equal(
        missing.text.replace(/nonce="[^"]+"|value="[^"]+"/g, ''),
      )
      expect(other.text).to.not.contain(DEMO_TEAM.name)
    })

    it('does not let a member who is not a manager see their own organisation’s colleagues', async () => {
      const member = await agentFor('vco-member')
      await member
        .get(pathFor('/organisations/:organisationId/colleagues', { organisationId: DEMO_VCO.id }))
        .expect(404)
    })

    it('does not let a manager invite into another organisation, and writes nothing', async () => {
      const manager = await agentFor('vco-manager')
      const _csrf = await csrfTokenFrom(manager, '/account')
      await manager
        .post(pathFor('/organisations/:organisationId/colleagues', { organisationId: DEMO_TEAM.id }))
        .type('form')
        .send({ _csrf, name: 'Sneaky Person', email: 'sneaky@example.org' })
        .expect(404)
      const users = await t.services.accounts.listUsers({ id: 'x', email: 'x', roles: ['admin'], memberships: [] })
      expect(users.map((u) => u.email)).to.not.include('sneaky@example.org')
    })
  })

  describe('changing a referral or person id in the URL', () => {
    it("does not show a VCO another organisation's referral, and answers as for one that does not exist", async () => {
      const member = await agentFor('vco-member')
      const other = await member.get(
        pathFor('/referrals/:referralId', { referralId: DEMO_REFERRALS.otherOrganisation }),
      )
      const missing = await member.get(pathFor('/referrals/:referralId', { referralId: nameUuid('no such referral') }))
      expect(other.status).to.equal(404)
      expect(missing.status).to.equal(404)
      expect(other.text.replace(/nonce="[^"]+"|value="[^"]+"/g, '')).to.equal(
        missing.text.replace(/nonce="[^"]+"|value="[^"]+"/g, ''),
      )
    })

    it('does not show a link worker a person who is not on their team’s caseload, as for one that does not exist', async () => {
      const worker = await agentFor('link-worker')
      await worker.get(pathFor('/people/:personId', { personId: DEMO_PEOPLE.margaret })).expect(200)
      await worker.get(pathFor('/people/:personId', { personId: nameUuid('no such person') })).expect(404)
    })
  })

  describe('changing an id in an outcome URL', () => {
    it("does not show a GP another practice's or a missing person's summary, and answers the same for both", async () => {
      const gp = await agentFor('gp')
      const summary = '/practice/people/:personId/summary'
      const otherPerson = await gp.get(pathFor(summary, { personId: nameUuid('demo:person:priya') }))
      const missing = await gp.get(pathFor(summary, { personId: nameUuid('no such person') }))
      expect(missing.status).to.equal(404)
      if (otherPerson.status !== 200) {
        expect(otherPerson.text.replace(/nonce="[^"]+"|value="[^"]+"/g, '')).to.equal(
          missing.text.replace(/nonce="[^"]+"|value="[^"]+"/g, ''),
        )
      }
      await gp
        .get(
          pathFor('/practice/people/:personId/summary/:format', {
            personId: nameUuid('no such person'),
            format: 'json',
          }),
        )
        .expect(404)
    })

    it("does not show a VCO another organisation's referral outcome, as for one that does not exist", async () => {
      const member = await agentFor('vco-member')
      const other = await member.get(
        pathFor('/referrals/:referralId/outcome', { referralId: nameUuid('demo:referral:carers-centre') }),
      )
      const missing = await member.get(
        pathFor('/referrals/:referralId/outcome', { referralId: nameUuid('no such referral') }),
      )
      expect(other.status).to.equal(404)
      expect(other.text.replace(/nonce="[^"]+"|value="[^"]+"/g, '')).to.equal(
        missing.text.replace(/nonce="[^"]+"|value="[^"]+"/g, ''),
      )
    })
  })

  describe('CSRF', () => {
    it('refuses a role change without a valid token with 403 and changes nothing', async () => {
      const admin = await agentFor('admin')
      const userId = nameUuid('demo:user:commissioner')
      await admin
        .post(pathFor('/admin/users/:userId', { userId }))
        .type('form')
        .send({ roles: 'admin', _csrf: 'forged' })
        .expect(403)
      const user = await t.services.accounts.getUser({ id: 'x', email: 'x', roles: ['admin'], memberships: [] }, userId)
      expect(user.roles).to.deep.equal(['commissioner'])
    })
  })
})
