import { expect } from 'chai'
import { formatNhsNumber, isValidNhsNumber, normaliseNhsNumber } from '../../../server/services/nhs-number'

describe('NHS numbers', () => {
  describe('isValidNhsNumber', () => {
    for (const valid of ['9434765919', '943 476 5919', '943-476-5919', '4010232137', '4505577104']) {
      it(`accepts ${valid}`, () => expect(isValidNhsNumber(valid)).to.equal(true))
    }
    it('accepts a number whose check digit is 0 (remainder 0 → 11 → 0)', () => {
      const nine = '000000001'
      let sum = 0
      for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i)
      const check = (11 - (sum % 11)) % 11
      expect(check).to.not.equal(10)
      expect(isValidNhsNumber(nine + String(check))).to.equal(true)
    })
    for (const invalid of ['9434765918', '943476591', '94347659190', 'abcdefghij', '', '1234567890']) {
      it(`refuses ${JSON.stringify(invalid)}`, () => expect(isValidNhsNumber(invalid)).to.equal(false))
    }
    it('refuses a number whose check digit would have to be 10 (never issued)', () => {
      // Find nine digits whose modulus-11 check is 10, and try every last digit.
      let nine = ''
      for (let n = 100000000; n < 100001000; n++) {
        const s = String(n)
        let sum = 0
        for (let i = 0; i < 9; i++) sum += Number(s[i]) * (10 - i)
        if (11 - (sum % 11) === 10) {
          nine = s
          break
        }
      }
      expect(nine).to.not.equal('')
      for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(nine + String(d))).to.equal(false)
    })
  })

  it('normalises spaces and dashes and formats as 3 3 4', () => {
    expect(normaliseNhsNumber(' 943 476-5919')).to.equal('9434765919')
    expect(formatNhsNumber('9434765919')).to.equal('943 476 5919')
  })
})
