// The refer and signpost forms' pickers: people still on the caseload (and whoever is already chosen), and the needs
// under the taxonomy's headings with those chosen ticked.
import { expect } from 'chai'
import type { PersonRecord } from '../../../../server/domain/referral-records'
import { NEED_TAXONOMY } from '../../../../server/data/taxonomy'
import { needOptions, personOptions } from '../../../../server/web/routes/referrals/referral.presenter'

const person = (id: string, discharged: boolean) =>
  ({
    id,
    givenName: 'Ada',
    familyName: id,
    dateOfBirth: '1950-02-03',
    discharge: discharged ? { reason: 'moved_away', at: new Date() } : null,
  }) as unknown as PersonRecord

describe('referral presenter pickers', () => {
  it('offers people on the caseload, and a discharged person only when already chosen', () => {
    const caseload = [person('p1', false), person('p2', true), person('p3', true)]
    expect(personOptions(caseload, 'p3')).to.deep.equal([
      { value: 'p1', text: 'Ada p1 (born 3 February 1950)', selected: false },
      { value: 'p3', text: 'Ada p3 (born 3 February 1950)', selected: true },
    ])
  })

  it('lists needs without their headings, ticking those chosen', () => {
    const need = NEED_TAXONOMY.find((t) => t.parentCode)!
    const options = needOptions(NEED_TAXONOMY, [need.id])
    expect(options.length).to.equal(NEED_TAXONOMY.filter((t) => t.parentCode).length)
    expect(options.filter((o) => o.checked).map((o) => o.value)).to.deep.equal([need.id])
  })
})
