import { expect } from 'chai'
import { formatUkPhone, normaliseUkPhone, ukPhoneKind } from '../../../server/services/uk-phone'

describe('UK phone numbers', () => {
  it('reads numbers as people type them, with +44, 0044, (0), spaces, dashes and brackets', () => {
    expect(normaliseUkPhone('07700 900123')).to.equal('07700900123')
    expect(normaliseUkPhone('+44 7700 900123')).to.equal('07700900123')
    expect(normaliseUkPhone('+44 (0)7700-900123')).to.equal('07700900123')
    expect(normaliseUkPhone('0044 116 496 0000')).to.equal('01164960000')
    expect(normaliseUkPhone('(020) 7946 0018')).to.equal('02079460018')
    expect(normaliseUkPhone('0345 123 4567')).to.equal('03451234567')
    expect(normaliseUkPhone('0800 123 456')).to.equal('0800123456')
  })

  it('refuses what is not a UK phone number someone would give as theirs', () => {
    for (const bad of [
      'not a phone',
      '12345',
      '07700 90012',
      '077009001234',
      '0900 123 4567',
      '070 1234 5678',
      '+1 202 555 0100',
      '07600 900123',
    ])
      expect(normaliseUkPhone(bad), bad).to.equal(null)
  })

  it('tells mobiles from landlines, and spaces each as it is said', () => {
    expect(ukPhoneKind('07700900123')).to.equal('mobile')
    expect(ukPhoneKind('02079460018')).to.equal('landline')
    expect(formatUkPhone('07700900123')).to.equal('07700 900123')
    expect(formatUkPhone('02079460018')).to.equal('020 7946 0018')
    expect(formatUkPhone('01164960000')).to.equal('0116 496 0000')
    expect(formatUkPhone('01632960123')).to.equal('01632 960123')
    expect(formatUkPhone('03451234567')).to.equal('0345 123 4567')
  })
})
