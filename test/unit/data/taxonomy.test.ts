import { expect } from 'chai'
import { isUuid } from '../../../server/domain/ids'
import { NEED_TAXONOMY, isCrisis, termId, withAncestors } from '../../../server/data/taxonomy'

const REQUIRED = [
  'loneliness-isolation',
  'bereavement',
  'carers',
  'debt-money',
  'welfare-benefits',
  'housing',
  'employment',
  'education-skills',
  'physical-activity',
  'healthy-eating-weight',
  'arts-creativity',
  'nature-gardening',
  'mental-wellbeing-peer-support',
  'recovery-courses',
  'substance-use',
  'domestic-abuse',
  'parenting-family',
  'relationships',
  'legal-advice',
  'digital-skills',
  'food',
  'volunteering',
  'crisis-support',
]

describe('need taxonomy', () => {
  it('covers every need the directory must offer', () => {
    const codes = NEED_TAXONOMY.map((t) => t.code)
    expect(codes).to.include.members(REQUIRED)
  })

  it('gives every term a fixed UUID and a parent that exists', () => {
    const codes = new Set(NEED_TAXONOMY.map((t) => t.code))
    for (const term of NEED_TAXONOMY) {
      expect(isUuid(term.id), term.code).to.equal(true)
      expect(term.id).to.equal(termId(term.code))
      if (term.parentCode) expect(codes.has(term.parentCode), term.code).to.equal(true)
    }
    expect(new Set(NEED_TAXONOMY.map((t) => t.id)).size).to.equal(NEED_TAXONOMY.length)
  })

  it('keeps ids stable between releases', () => {
    expect(termId('loneliness-isolation')).to.equal(NEED_TAXONOMY.find((t) => t.code === 'loneliness-isolation')?.id)
    expect(termId('food')).to.match(/^[0-9a-f-]{36}$/)
  })

  describe('withAncestors', () => {
    it('lists the term then each ancestor up to the root', () => {
      expect(withAncestors('befriending', NEED_TAXONOMY)).to.deep.equal([
        'befriending',
        'loneliness-isolation',
        'social-connection',
      ])
    })

    it('gives nothing for an unknown code and stops on a cycle', () => {
      expect(withAncestors('nope', NEED_TAXONOMY)).to.deep.equal([])
      const cyclic = [
        { code: 'a', parentCode: 'b' },
        { code: 'b', parentCode: 'a' },
      ]
      expect(withAncestors('a', cyclic)).to.deep.equal(['a', 'b'])
    })
  })

  it('marks crisis terms and their children as crisis resources', () => {
    expect(isCrisis('mental-health-crisis', NEED_TAXONOMY)).to.equal(true)
    expect(isCrisis('crisis-support', NEED_TAXONOMY)).to.equal(true)
    expect(isCrisis('food', NEED_TAXONOMY)).to.equal(false)
  })
})
