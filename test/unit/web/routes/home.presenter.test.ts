import { expect } from 'chai'
import type { SessionUser } from '../../../../server/domain/roles'
import { menuFor, startPathFor } from '../../../../server/web/routes/home/home.presenter'

const user = (roles: SessionUser['roles'], memberships: SessionUser['memberships'] = []): SessionUser => ({
  id: 'u',
  email: 'u@example.test',
  name: 'U',
  roles,
  memberships,
  sessionVersion: 0,
})

describe('Each role starts at its work', () => {
  it('sends each role to its own start page', () => {
    expect(startPathFor(user(['link_worker']))).to.equal('/worklist')
    expect(startPathFor(user(['vco_member']))).to.equal('/referrals/inbox')
    expect(startPathFor(user(['gp_user']))).to.equal('/practice/referrals')
    expect(startPathFor(user(['commissioner']))).to.equal('/reports')
    expect(startPathFor(user(['admin']))).to.equal('/admin/listings/review')
    expect(startPathFor(user([]))).to.equal('/account')
  })

  it('gives each role a menu that starts with its start page and ends with the account', () => {
    const texts = (roles: SessionUser['roles']) => menuFor(user(roles), { demo: false }).map((i) => i.text)
    expect(texts(['link_worker'])).to.deep.equal([
      'Worklist',
      'Find support',
      'Caseload',
      'Referrals',
      'Social prescribing episodes',
      'Refer to social prescribing',
      'Your account',
    ])
    expect(texts(['gp_user'])).to.deep.equal([
      'Practice referrals',
      'Refer to social prescribing',
      'Social prescribing messages',
      'Your account',
    ])
    expect(texts(['vco_member'])).to.deep.equal(['Referrals inbox', 'Refer to social prescribing', 'Your account'])
    expect(texts(['commissioner'])).to.deep.equal(['Reports', 'Your account'])
    expect(texts(['admin'])).to.deep.equal(['Reports', 'Listings to review', 'Users', 'Audit log', 'Your account'])
  })
})
