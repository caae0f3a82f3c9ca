import { expect } from 'chai'
import { ROUTE_ACCESS, findRouteAccess, isAllowed } from '../../../server/web/access'

describe('the route-access table', () => {
  it('lists each method and path once', () => {
    const keys = ROUTE_ACCESS.map((r) => `${r.method} ${r.path}`)
    expect(new Set(keys).size).to.equal(keys.length)
  })

  it('finds the row for a path with parameters, and prefers a literal path', () => {
    expect(findRouteAccess('GET', '/admin/users/123')?.path).to.equal('/admin/users/:userId')
    expect(findRouteAccess('GET', '/admin/invitations/new')?.path).to.equal('/admin/invitations/new')
    expect(findRouteAccess('HEAD', '/account')?.path).to.equal('/account')
  })

  it('has no row for an unknown path or method (default deny)', () => {
    expect(findRouteAccess('GET', '/admin/secret')).to.equal(undefined)
    expect(findRouteAccess('DELETE', '/account')).to.equal(undefined)
    expect(findRouteAccess('GET', '/admin/users/1/2')).to.equal(undefined)
  })

  it('lets anyone use public rows, signed-in users signed-in rows, and only the listed roles the rest', () => {
    const admin = findRouteAccess('GET', '/admin/users')!
    expect(isAllowed(admin, undefined)).to.equal(false)
    expect(isAllowed(admin, { roles: ['commissioner'] })).to.equal(false)
    expect(isAllowed(admin, { roles: ['commissioner', 'admin'] })).to.equal(true)
    expect(isAllowed(findRouteAccess('GET', '/account')!, undefined)).to.equal(false)
    expect(isAllowed(findRouteAccess('GET', '/account')!, { roles: [] })).to.equal(true)
    expect(isAllowed(findRouteAccess('GET', '/')!, undefined)).to.equal(true)
  })
})
